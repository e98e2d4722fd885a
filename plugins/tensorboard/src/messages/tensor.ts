/**
 * `TensorShapeProto` and `TensorProto` (`tensorboard/compat/proto/tensor*.proto`):
 * the fields summaries use.
 * @module
 */
import {ProtoReader, readFields, type FieldReaders} from '../wire/reader';
import {WireType} from '../wire/wire-type';
import {packed, type ProtoWriter} from '../wire/writer';
import type {DataType} from './enums';
import type {MessageInit} from './init';

const {VARINT, FIXED64, FIXED32, LENGTH_DELIMITED} = WireType;

/** One dimension of a tensor shape: its size (-1: unknown) and an optional name. */
export interface TensorShapeProto_Dim {
  size: bigint;
  name: string;
}

/** A tensor's shape. */
export interface TensorShapeProto {
  dim: TensorShapeProto_Dim[];
  unknownRank: boolean;
}

/**
 * A tensor: its type, shape and values, either as raw little-endian
 * `tensorContent` or in the typed list of its `dtype`.
 */
export interface TensorProto {
  dtype: DataType;
  tensorShape?: TensorShapeProto;
  versionNumber: number;
  tensorContent: Uint8Array;
  floatVal: number[];
  doubleVal: number[];
  intVal: number[];
  stringVal: Uint8Array[];
  scomplexVal: number[];
  int64Val: bigint[];
  boolVal: boolean[];
  dcomplexVal: number[];
  halfVal: number[];
  uint32Val: number[];
  uint64Val: bigint[];
  float8Val: Uint8Array;
}

function writeDim(w: ProtoWriter, d: MessageInit<TensorShapeProto_Dim>): void {
  w.int64Field(1, d.size);
  w.stringField(2, d.name);
}

/** Writes the fields of a `TensorShapeProto`. */
export function writeTensorShape(w: ProtoWriter, s: MessageInit<TensorShapeProto>): void {
  w.repeatedField(2, s.dim, writeDim);
  w.boolField(3, s.unknownRank);
}

/** Writes the fields of a `TensorProto`. */
export function writeTensor(w: ProtoWriter, t: MessageInit<TensorProto>): void {
  w.int32Field(1, t.dtype);
  w.messageField(2, t.tensorShape, writeTensorShape);
  w.int32Field(3, t.versionNumber);
  w.bytesField(4, t.tensorContent);
  w.packedField(5, t.floatVal, packed.float);
  w.packedField(6, t.doubleVal, packed.double);
  w.packedField(7, t.intVal, packed.int32);
  w.repeatedBytesField(8, t.stringVal);
  w.packedField(9, t.scomplexVal, packed.float);
  w.packedField(10, t.int64Val, packed.int64);
  w.packedField(11, t.boolVal, packed.bool);
  w.packedField(12, t.dcomplexVal, packed.double);
  w.packedField(13, t.halfVal, packed.int32);
  w.packedField(16, t.uint32Val, packed.int32);
  w.packedField(17, t.uint64Val, packed.int64);
  w.bytesField(18, t.float8Val);
}

const DIM: FieldReaders<TensorShapeProto_Dim> = {
  1: [VARINT, (r, m) => void (m.size = r.int64())],
  2: [LENGTH_DELIMITED, (r, m) => void (m.name = r.string())],
};

const SHAPE: FieldReaders<TensorShapeProto> = {
  2: [LENGTH_DELIMITED, (r, m) => void m.dim.push(readFields(r.message(), {size: 0n, name: ''}, DIM))],
  3: [VARINT, (r, m) => void (m.unknownRank = r.bool())],
};

/** Reads a `TensorShapeProto`. */
export function readTensorShape(r: ProtoReader): TensorShapeProto {
  return readFields(r, {dim: [], unknownRank: false}, SHAPE);
}

const float = (r: ProtoReader) => r.float();
const double = (r: ProtoReader) => r.double();
const int32 = (r: ProtoReader) => r.int32();
const uint32 = (r: ProtoReader) => r.uint32();
const int64 = (r: ProtoReader) => r.int64();
const uint64 = (r: ProtoReader) => r.uint64();
const bool = (r: ProtoReader) => r.bool();

const TENSOR: FieldReaders<TensorProto> = {
  1: [VARINT, (r, m) => void (m.dtype = r.int32())],
  2: [LENGTH_DELIMITED, (r, m) => void (m.tensorShape = readTensorShape(r.message()))],
  3: [VARINT, (r, m) => void (m.versionNumber = r.int32())],
  4: [LENGTH_DELIMITED, (r, m) => void (m.tensorContent = r.bytes())],
  5: [null, (r, m, w) => r.repeated(w, FIXED32, float, m.floatVal)],
  6: [null, (r, m, w) => r.repeated(w, FIXED64, double, m.doubleVal)],
  7: [null, (r, m, w) => r.repeated(w, VARINT, int32, m.intVal)],
  8: [LENGTH_DELIMITED, (r, m) => void m.stringVal.push(r.bytes())],
  9: [null, (r, m, w) => r.repeated(w, FIXED32, float, m.scomplexVal)],
  10: [null, (r, m, w) => r.repeated(w, VARINT, int64, m.int64Val)],
  11: [null, (r, m, w) => r.repeated(w, VARINT, bool, m.boolVal)],
  12: [null, (r, m, w) => r.repeated(w, FIXED64, double, m.dcomplexVal)],
  13: [null, (r, m, w) => r.repeated(w, VARINT, int32, m.halfVal)],
  16: [null, (r, m, w) => r.repeated(w, VARINT, uint32, m.uint32Val)],
  17: [null, (r, m, w) => r.repeated(w, VARINT, uint64, m.uint64Val)],
  18: [LENGTH_DELIMITED, (r, m) => void (m.float8Val = r.bytes())],
};

/** Reads a `TensorProto`. */
export function readTensor(r: ProtoReader): TensorProto {
  const empty = new Uint8Array(0);
  const t: TensorProto = {
    dtype: 0,
    versionNumber: 0,
    tensorContent: empty,
    floatVal: [],
    doubleVal: [],
    intVal: [],
    stringVal: [],
    scomplexVal: [],
    int64Val: [],
    boolVal: [],
    dcomplexVal: [],
    halfVal: [],
    uint32Val: [],
    uint64Val: [],
    float8Val: empty,
  };
  return readFields(r, t, TENSOR);
}
