/**
 * `GraphDef`, `NodeDef`, `AttrValue` and `VersionDef`
 * (`tensorboard/compat/proto/{graph,node_def,attr_value,versions}.proto`):
 * a TensorFlow graph as the Graphs dashboard reads it.
 * @module
 */
import {defineMessage, type MessageSchema} from './message-schema';
import type {DataType} from './enums';
import {TENSOR, TENSOR_SHAPE, type TensorProto, type TensorShapeProto} from './tensor';
import type {OneOf} from './one-of';

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
  value: OneOf<{
    s: Uint8Array;
    i: bigint;
    f: number;
    b: boolean;
    type: DataType;
    shape: TensorShapeProto;
    tensor: TensorProto;
    list: AttrValue_ListValue;
    placeholder: string;
  }>;
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

const LIST = defineMessage<AttrValue_ListValue>([
  [2, 's', 'bytes', 'repeated'],
  [3, 'i', 'int64', 'repeated'],
  [4, 'f', 'float', 'repeated'],
  [5, 'b', 'bool', 'repeated'],
  [6, 'type', 'int32', 'repeated'],
  [7, 'shape', () => TENSOR_SHAPE, 'repeated'],
  [8, 'tensor', () => TENSOR, 'repeated'],
]);

const value = {oneof: 'value'} as const;

const ATTR_VALUE = defineMessage<AttrValue>([
  [1, 'list', () => LIST, value],
  [2, 's', 'bytes', value],
  [3, 'i', 'int64', value],
  [4, 'f', 'float', value],
  [5, 'b', 'bool', value],
  [6, 'type', 'int32', value],
  [7, 'shape', () => TENSOR_SHAPE, value],
  [8, 'tensor', () => TENSOR, value],
  [9, 'placeholder', 'string', value],
]);

const NODE = defineMessage<NodeDef>([
  [1, 'name', 'string'],
  [2, 'op', 'string'],
  [3, 'input', 'string', 'repeated'],
  [4, 'device', 'string'],
  [5, 'attr', () => ATTR_VALUE, 'map'],
]);

const VERSIONS = defineMessage<VersionDef>([
  [1, 'producer', 'int32'],
  [2, 'minConsumer', 'int32'],
  [3, 'badConsumers', 'int32', 'repeated'],
]);

const GRAPH = defineMessage<GraphDef>([
  [1, 'node', () => NODE, 'repeated'],
  [4, 'versions', () => VERSIONS],
  [3, 'version', 'int32'],
]);

/** Writes the fields of a `GraphDef`. */
export const writeGraphDef: MessageSchema<GraphDef>['write'] = GRAPH.write;

/** Reads a `GraphDef`. */
export const readGraphDef: MessageSchema<GraphDef>['read'] = GRAPH.read;
