/**
 * `TensorShapeProto` and `TensorProto` (`tensorboard/compat/proto/tensor*.proto`):
 * the fields summaries use.
 * @module
 */
import {defineMessage, type MessageSchema} from './message-schema';
import type {DataType} from './enums';

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

const DIM = defineMessage<TensorShapeProto_Dim>([
  [1, 'size', 'int64'],
  [2, 'name', 'string'],
]);

/** A tensor's shape: `TensorShapeProto`. */
export const TENSOR_SHAPE: MessageSchema<TensorShapeProto> = defineMessage<TensorShapeProto>([
  [2, 'dim', () => DIM, 'repeated'],
  [3, 'unknownRank', 'bool'],
]);

/** A tensor: `TensorProto`. */
export const TENSOR: MessageSchema<TensorProto> = defineMessage<TensorProto>([
  [1, 'dtype', 'int32'],
  [2, 'tensorShape', () => TENSOR_SHAPE],
  [3, 'versionNumber', 'int32'],
  [4, 'tensorContent', 'bytes'],
  [5, 'floatVal', 'float', 'repeated'],
  [6, 'doubleVal', 'double', 'repeated'],
  [7, 'intVal', 'int32', 'repeated'],
  [8, 'stringVal', 'bytes', 'repeated'],
  [9, 'scomplexVal', 'float', 'repeated'],
  [10, 'int64Val', 'int64', 'repeated'],
  [11, 'boolVal', 'bool', 'repeated'],
  [12, 'dcomplexVal', 'double', 'repeated'],
  [13, 'halfVal', 'int32', 'repeated'],
  [16, 'uint32Val', 'uint32', 'repeated'],
  [17, 'uint64Val', 'uint64', 'repeated'],
  [18, 'float8Val', 'bytes'],
]);

/** Reads a `TensorProto`. */
export const readTensor: MessageSchema<TensorProto>['read'] = TENSOR.read;
