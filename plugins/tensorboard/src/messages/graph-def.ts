/**
 * `GraphDef`, `NodeDef`, `AttrValue` and `VersionDef`
 * (`tensorboard/compat/proto/{graph,node_def,attr_value,versions}.proto`):
 * a TensorFlow graph as the Graphs dashboard reads it.
 * @module
 */
import {readFields, readMapEntry, type FieldReaders, type ProtoReader} from '../wire/reader';
import {WireType} from '../wire/wire-type';
import {packed, type ProtoWriter} from '../wire/writer';
import type {DataType} from './enums';
import type {MessageInit} from './init';
import {readTensor, readTensorShape, writeTensor, writeTensorShape, type TensorProto, type TensorShapeProto} from './tensor';

const {VARINT, FIXED32, LENGTH_DELIMITED} = WireType;

/** A list value of an attribute. */
export interface AttrValue_ListValue {
  s: Uint8Array[];
  i: bigint[];
  f: number[];
  b: boolean[];
  type: DataType[];
  shape: TensorShapeProto[];
  tensor: TensorProto[];
}

/** A node attribute's value. */
export interface AttrValue {
  value:
    | {case: 's'; value: Uint8Array}
    | {case: 'i'; value: bigint}
    | {case: 'f'; value: number}
    | {case: 'b'; value: boolean}
    | {case: 'type'; value: DataType}
    | {case: 'shape'; value: TensorShapeProto}
    | {case: 'tensor'; value: TensorProto}
    | {case: 'list'; value: AttrValue_ListValue}
    | {case: 'placeholder'; value: string}
    | {case: undefined; value?: undefined};
}

/** A node of a graph: its name, op, inputs (node names), device and attributes. */
export interface NodeDef {
  name: string;
  op: string;
  input: string[];
  device: string;
  attr: Record<string, AttrValue>;
}

/** The versions of the graph's producer and its oldest consumer. */
export interface VersionDef {
  producer: number;
  minConsumer: number;
  badConsumers: number[];
}

/** A TensorFlow graph: its nodes. */
export interface GraphDef {
  node: NodeDef[];
  versions?: VersionDef;
  version: number;
}

function writeList(w: ProtoWriter, l: MessageInit<AttrValue_ListValue>): void {
  w.repeatedBytesField(2, l.s);
  w.packedField(3, l.i, packed.int64);
  w.packedField(4, l.f, packed.float);
  w.packedField(5, l.b, packed.bool);
  w.packedField(6, l.type, packed.int32);
  w.repeatedField(7, l.shape, writeTensorShape);
  w.repeatedField(8, l.tensor, writeTensor);
}

function writeAttrValue(w: ProtoWriter, a: MessageInit<AttrValue>): void {
  const v = a.value;
  switch (v?.case) {
    case 'list':
      return w.messageField(1, v.value, writeList);
    case 's':
      return w.bytesField(2, v.value, true);
    case 'i':
      return w.int64Field(3, v.value, true);
    case 'f':
      return w.floatField(4, v.value, true);
    case 'b':
      return w.boolField(5, v.value, true);
    case 'type':
      return w.int32Field(6, v.value, true);
    case 'shape':
      return w.messageField(7, v.value, writeTensorShape);
    case 'tensor':
      return w.messageField(8, v.value, writeTensor);
    case 'placeholder':
      return w.stringField(9, v.value, true);
    default:
  }
}

function writeNode(w: ProtoWriter, n: MessageInit<NodeDef>): void {
  w.stringField(1, n.name);
  w.stringField(2, n.op);
  w.repeatedStringField(3, n.input);
  w.stringField(4, n.device);
  w.mapField(5, n.attr as Record<string, MessageInit<AttrValue>> | undefined, writeAttrValue);
}

function writeVersions(w: ProtoWriter, v: MessageInit<VersionDef>): void {
  w.int32Field(1, v.producer);
  w.int32Field(2, v.minConsumer);
  w.packedField(3, v.badConsumers, packed.int32);
}

/** Writes the fields of a `GraphDef`. */
export function writeGraphDef(w: ProtoWriter, g: MessageInit<GraphDef>): void {
  w.repeatedField(1, g.node, writeNode);
  w.int32Field(3, g.version);
  w.messageField(4, g.versions, writeVersions);
}

const int64 = (r: ProtoReader) => r.int64();
const float = (r: ProtoReader) => r.float();
const bool = (r: ProtoReader) => r.bool();
const int32 = (r: ProtoReader) => r.int32();

const LIST: FieldReaders<AttrValue_ListValue> = {
  2: [LENGTH_DELIMITED, (r, m) => void m.s.push(r.bytes())],
  3: [null, (r, m, w) => r.repeated(w, VARINT, int64, m.i)],
  4: [null, (r, m, w) => r.repeated(w, FIXED32, float, m.f)],
  5: [null, (r, m, w) => r.repeated(w, VARINT, bool, m.b)],
  6: [null, (r, m, w) => r.repeated(w, VARINT, int32, m.type)],
  7: [LENGTH_DELIMITED, (r, m) => void m.shape.push(readTensorShape(r.message()))],
  8: [LENGTH_DELIMITED, (r, m) => void m.tensor.push(readTensor(r.message()))],
};

const ATTR: FieldReaders<AttrValue> = {
  1: [
    LENGTH_DELIMITED,
    (r, m) =>
      void (m.value = {case: 'list', value: readFields(r.message(), {s: [], i: [], f: [], b: [], type: [], shape: [], tensor: []}, LIST)}),
  ],
  2: [LENGTH_DELIMITED, (r, m) => void (m.value = {case: 's', value: r.bytes()})],
  3: [VARINT, (r, m) => void (m.value = {case: 'i', value: r.int64()})],
  4: [FIXED32, (r, m) => void (m.value = {case: 'f', value: r.float()})],
  5: [VARINT, (r, m) => void (m.value = {case: 'b', value: r.bool()})],
  6: [VARINT, (r, m) => void (m.value = {case: 'type', value: r.int32()})],
  7: [LENGTH_DELIMITED, (r, m) => void (m.value = {case: 'shape', value: readTensorShape(r.message())})],
  8: [LENGTH_DELIMITED, (r, m) => void (m.value = {case: 'tensor', value: readTensor(r.message())})],
  9: [LENGTH_DELIMITED, (r, m) => void (m.value = {case: 'placeholder', value: r.string()})],
};

const readAttrValue = (r: ProtoReader): AttrValue => readFields(r, {value: {case: undefined}}, ATTR);

const NODE: FieldReaders<NodeDef> = {
  1: [LENGTH_DELIMITED, (r, m) => void (m.name = r.string())],
  2: [LENGTH_DELIMITED, (r, m) => void (m.op = r.string())],
  3: [LENGTH_DELIMITED, (r, m) => void m.input.push(r.string())],
  4: [LENGTH_DELIMITED, (r, m) => void (m.device = r.string())],
  5: [LENGTH_DELIMITED, (r, m) => readMapEntry(r.message(), m.attr, readAttrValue)],
};

const VERSIONS: FieldReaders<VersionDef> = {
  1: [VARINT, (r, m) => void (m.producer = r.int32())],
  2: [VARINT, (r, m) => void (m.minConsumer = r.int32())],
  3: [null, (r, m, w) => r.repeated(w, VARINT, int32, m.badConsumers)],
};

const GRAPH: FieldReaders<GraphDef> = {
  1: [LENGTH_DELIMITED, (r, m) => void m.node.push(readFields(r.message(), {name: '', op: '', input: [], device: '', attr: {}}, NODE))],
  3: [VARINT, (r, m) => void (m.version = r.int32())],
  4: [LENGTH_DELIMITED, (r, m) => void (m.versions = readFields(r.message(), {producer: 0, minConsumer: 0, badConsumers: []}, VERSIONS))],
};

/** Reads a `GraphDef`. */
export function readGraphDef(r: ProtoReader): GraphDef {
  return readFields(r, {node: [], version: 0}, GRAPH);
}
