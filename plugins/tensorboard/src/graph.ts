/**
 * A model's layer graph as a TensorFlow `GraphDef`, for TensorBoard's Graphs
 * dashboard.
 * @module
 */
import {ConfigError, describeValue, isSymbolic, layerTypeName, type SymbolicTensor} from '@trellis/core';
import type {AttrValue_ListValue} from './messages/graph-def';
import type {TensorShapeProto} from './messages/tensor';
import {DataType, type AttrValue, type GraphDef, type NodeDef} from './proto';

/** What {@link modelGraphDef} reads of a layer: its name and its spec id (`trellis/dense`). */
export interface GraphLayer {
  readonly name: string;
  readonly spec: {readonly id: string; readonly config?: unknown};
}

/**
 * What {@link modelGraphDef} reads of a model: every Trellis model is one.
 * A functional model is read from its `inputs` and `outputs` (symbolic
 * tensors); any other model from its `layers`, as a chain.
 */
export interface GraphModel {
  readonly name: string;
  /** The layers (a Sequential model's, in order). */
  readonly layers?: readonly GraphLayer[];
  /** A functional model's symbolic inputs. */
  readonly inputs?: readonly SymbolicTensor[];
  /** A functional model's symbolic outputs. */
  readonly outputs?: readonly SymbolicTensor[];
  /** The inputs' names (`['input_layer']`). */
  readonly inputNames?: readonly string[];
  /** The input shape without batch, once built. */
  readonly inputShape?: readonly number[];
  /** `model.summary()`: the layers' output shapes, once built. */
  summary?(options: {print: false}): {
    readonly layers: readonly {readonly name: string; readonly outputShape: readonly (number | null)[]}[];
  };
}

const DTYPES: Record<string, DataType> = {float32: DataType.DT_FLOAT, int32: DataType.DT_INT32, bool: DataType.DT_BOOL};

/** A shape with the batch dimension as -1 (TensorFlow's unknown size). */
function shapeProto(dims: readonly (number | null)[]) {
  return {dim: dims.map((d) => ({size: BigInt(d === null ? -1 : d), name: ''})), unknownRank: false};
}

const attr = (value: AttrValue['value']): AttrValue => ({value});
/** An attr list holding one shape. */
function shapeList(shape: TensorShapeProto): AttrValue_ListValue {
  return {s: [], i: [], f: [], b: [], type: [], shape: [shape], tensor: []};
}

const utf8 = new TextEncoder();

interface Pending {
  readonly name: string;
  readonly op: string;
  readonly inputs: string[];
  readonly attrs: Record<string, AttrValue>;
}

function placeholder(name: string, shape: readonly number[] | undefined, dtype: string): Pending {
  const attrs: Record<string, AttrValue> = {dtype: attr({case: 'type', value: DTYPES[dtype] ?? DataType.DT_FLOAT})};
  if (shape) {
    const s = shapeProto([null, ...shape]);
    attrs.shape = attr({case: 'shape', value: s});
    attrs._output_shapes = attr({case: 'list', value: shapeList(s)});
  }
  return {name, op: 'Placeholder', inputs: [], attrs};
}

function layerNode(layer: GraphLayer, name: string, outputShape: readonly (number | null)[] | undefined): Pending {
  const attrs: Record<string, AttrValue> = {};
  if (outputShape) attrs._output_shapes = attr({case: 'list', value: shapeList(shapeProto(outputShape))});
  let config: string | undefined;
  try {
    config = layer.spec.config === undefined ? undefined : JSON.stringify(layer.spec.config);
  } catch {
    config = undefined; // a config that is not JSON: left out
  }
  if (config !== undefined) attrs.config = attr({case: 's', value: utf8.encode(config)});
  return {name, op: layerTypeName(layer.spec.id), inputs: [], attrs};
}

/**
 * The model's layer graph as a TensorFlow `GraphDef`, the message
 * TensorBoard's Graphs dashboard draws (an `Event`'s `graph_def`):
 *
 * - one `Placeholder` node per model input (named as the input,
 *   `input_layer` for a Sequential model; attrs `dtype`, `shape`);
 * - one node per layer, named as the layer, `op` its class as Keras names
 *   it (`Dense`, `Conv2D`), `input` the names of the layers (or inputs) it
 *   is applied to; attrs `_output_shapes` (batch as -1, the dashboard's
 *   edge labels) and `config` (the layer's JSON config).
 *
 * A Sequential model is a chain from its input. A functional model is
 * walked from its outputs: a layer applied several times (shared) is one
 * node whose inputs are all the layers it was applied to. A model with
 * neither layers nor symbolic outputs is a single node named after it.
 * Nodes are in topological order. Shapes come from `model.summary()` when
 * the model is built, and are left out otherwise.
 * @throws ConfigError when `model` is not a model.
 */
export function modelGraphDef(model: GraphModel): GraphDef {
  if (model === null || typeof model !== 'object' || typeof model.name !== 'string') {
    throw new ConfigError(`modelGraphDef: expected a Trellis model (Sequential or functional); got ${describeValue(model)}.`);
  }
  const shapes = new Map<string, readonly (number | null)[]>();
  if (typeof model.summary === 'function') {
    try {
      for (const row of model.summary({print: false}).layers) shapes.set(row.name, row.outputShape);
    } catch {
      // not built yet: no shapes
    }
  }
  // Layers are named when the model is built; an unbuilt model's unnamed layers get Keras' default names.
  const names = new Map<GraphLayer, string>();
  const used = new Set<string>();
  const nameOf = (layer: GraphLayer): string => {
    let name = names.get(layer) ?? layer.name;
    if (!name) {
      const base = layer.spec.id
        .slice(layer.spec.id.indexOf('/') + 1)
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .toLowerCase();
      name = base;
      for (let i = 1; used.has(name); i++) name = `${base}_${i}`;
    }
    names.set(layer, name);
    used.add(name);
    return name;
  };
  const nodes = new Map<string, Pending>();
  const outputs = model.outputs;
  if (Array.isArray(outputs) && outputs.length > 0 && outputs.every((o) => isSymbolic(o))) {
    const visited = new Set<SymbolicTensor>();
    const visit = (t: SymbolicTensor): void => {
      if (visited.has(t)) return;
      visited.add(t);
      const source = t.source;
      if (source.kind === 'input') {
        if (!nodes.has(source.name)) nodes.set(source.name, placeholder(source.name, t.shape, t.dtype));
        return;
      }
      for (const i of source.inputs) visit(i);
      const name = nameOf(source.layer);
      let node = nodes.get(name);
      if (!node) {
        node = layerNode(source.layer, name, [null, ...t.shape]);
        nodes.set(name, node);
      }
      for (const i of source.inputs) {
        const from = i.source.kind === 'input' ? i.source.name : nameOf(i.source.layer);
        if (!node.inputs.includes(from)) node.inputs.push(from);
      }
    };
    for (const i of model.inputs ?? []) visit(i);
    for (const o of outputs) visit(o);
  } else {
    const inputName = model.inputNames?.[0] ?? 'input_layer';
    nodes.set(inputName, placeholder(inputName, model.inputShape, 'float32'));
    const layers = Array.isArray(model.layers) ? model.layers : [];
    let previous = inputName;
    if (layers.length === 0) {
      const node: Pending = {name: model.name, op: 'Model', inputs: [inputName], attrs: {}};
      nodes.set(model.name, node);
    }
    for (const layer of layers) {
      const name = nameOf(layer);
      const node = layerNode(layer, name, shapes.get(name));
      node.inputs.push(previous);
      nodes.set(name, node);
      previous = name;
    }
  }
  const node: NodeDef[] = [...nodes.values()].map((n) => ({name: n.name, op: n.op, input: n.inputs, device: '', attr: n.attrs}));
  return {node, version: 0};
}
