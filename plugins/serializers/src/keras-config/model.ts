/**
 * Models: a Trellis `Sequential` or functional model ↔ a Keras model config
 * (`{class_name: 'Sequential' | 'Functional' | 'Model', config}`).
 * @module
 */
import {
  ConfigError,
  FormatError,
  FunctionalModel,
  Sequential,
  UnknownIdError,
  applyLayer,
  defaultRegistry,
  describeValue,
  input,
  isMultiInputLayer,
  model as functionalModel,
  type AnyModel,
  type Json,
  type Layer,
  type MultiInputLayer,
  type Registry,
  type SymbolicTensor,
} from '@trellis/core';
import {layerApplications} from './applications';
import {kerasLayerConfig, layerSpecFromKeras, shapeFromKeras} from './layers';
import {checkClassConfig, isObject, type JsonObject, type KerasClassConfig, type KerasWriteOptions} from './types';

const MODEL_CLASSES = ['Functional', 'Model', 'Sequential'];

/**
 * The Keras config of a `Sequential` or functional model: `{class_name:
 * 'Sequential', config: {name, layers}}` (the first layer with
 * `batch_input_shape`), or `{class_name: 'Model', config: {name, layers,
 * input_layers, output_layers}}` with `InputLayer`s and `inbound_nodes` (class
 * `Functional` in the `'keras'` dialect). Builds the model first when it can.
 * @throws ConfigError for a subclassed model (its layers live in code) or a
 *   model that is not built; whatever {@link kerasLayerConfig} throws for a layer.
 */
export function kerasModelConfig(model: AnyModel, options: KerasWriteOptions = {}): KerasClassConfig {
  if (model instanceof Sequential) return sequentialConfig(model, options);
  if (model instanceof FunctionalModel) return functionalConfig(model, options);
  throw new ConfigError(
    `kerasModelConfig: only Sequential and functional models have a Keras config; '${(model as AnyModel)?.name ?? describeValue(model)}' is a subclassed model ` +
      '(its layers live in code). Save its weights with saveWeights instead.',
  );
}

function sequentialConfig(model: Sequential, options: KerasWriteOptions): KerasClassConfig {
  void model.weights; // builds a model whose first layer declares its input shape (and names the layers)
  if (!model.built) {
    throw new ConfigError(
      `kerasModelConfig: model '${model.name}' is not built, so its layers have no names and no input shape; build it first (model.build(inputShape)).`,
    );
  }
  const layers = model.layers.map((layer, i) => {
    const keras = kerasLayerConfig(layer, options);
    if (i > 0) return keras;
    const key = options.dialect === 'keras' ? 'batch_shape' : 'batch_input_shape';
    return {class_name: keras.class_name, config: {...keras.config, [key]: [null, ...model.inputShape!]}};
  });
  return {class_name: 'Sequential', config: {name: model.name, layers}};
}

function functionalConfig(model: FunctionalModel, options: KerasWriteOptions): KerasClassConfig {
  const shapeKey = options.dialect === 'keras' ? 'batch_shape' : 'batch_input_shape';
  // Each layer's applications in this graph: their index is Keras' node index.
  const applications = layerApplications(model);
  const ref = (t: SymbolicTensor): [string, number, number] =>
    t.source.kind === 'input' ? [t.name, 0, 0] : [t.source.layer.name, applications.get(t.source.layer)!.indexOf(t), 0];
  const layers: Json[] = model.inputs.map((t) => ({
    name: t.name,
    class_name: 'InputLayer',
    config: {[shapeKey]: [null, ...t.shape], dtype: t.dtype, sparse: false, name: t.name},
    inbound_nodes: [],
  }));
  for (const layer of model.layers) {
    const keras = kerasLayerConfig(layer, options);
    const nodes = (applications.get(layer) ?? []).map((t) =>
      t.source.kind === 'layer' ? t.source.inputs.map((i) => [...ref(i), {}]) : [],
    );
    layers.push({name: layer.name, class_name: keras.class_name, config: keras.config as Json, inbound_nodes: nodes as Json});
  }
  return {
    class_name: options.dialect === 'keras' ? 'Functional' : 'Model',
    config: {name: model.name, layers, input_layers: model.inputs.map(ref), output_layers: model.outputs.map(ref)},
  };
}

/**
 * A Trellis model from a Keras model config, as tfjs-layers' `model.json`
 * (`modelTopology`, with or without a `model_config` wrapper), Keras 2 or
 * Keras 3 write it: a `Sequential` (with or without a leading `InputLayer`)
 * or a functional model (`Functional` / `Model`, Keras 2 or Keras 3
 * `inbound_nodes`). Every layer is rebuilt through `registry` (default:
 * `defaultRegistry()`) from its spec; weights are fresh (set them with
 * `model.setWeights`). Nothing is evaluated.
 * @throws UnknownIdError for an unknown model or layer class (a `Lambda`, a custom layer), listing the
 *   known ones; ConfigError for options Trellis cannot honour; FormatError for a config that is not a
 *   model config (missing or mistyped fields, a graph that names missing layers).
 */
export function modelFromKerasConfig(json: Json, registry: Registry = defaultRegistry()): Sequential | FunctionalModel {
  let topology: Json = json;
  if (isObject(topology) && isObject(topology.model_config)) topology = topology.model_config;
  if (!isObject(topology) || typeof topology.class_name !== 'string') {
    throw new FormatError(`modelTopology: expected a Keras model config {class_name, config}; got ${describeValue(topology)}.`);
  }
  const {class_name: className, config} = checkClassConfig(topology, 'the model');
  if (className === 'Sequential') return sequentialFromKeras(config, registry);
  if (className === 'Functional' || className === 'Model') return functionalFromKeras(config, registry);
  throw new UnknownIdError('Keras model class', className, MODEL_CLASSES);
}

function resolveLayer(registry: Registry, keras: Json, trainableOverride: boolean): Layer | MultiInputLayer {
  const spec = layerSpecFromKeras(keras);
  const layer = registry.resolve('layer', spec) as Layer | MultiInputLayer;
  const trainable = isObject(keras) && isObject(keras.config) ? keras.config.trainable : undefined;
  if (trainableOverride && trainable === false) (layer as Layer).trainable = false;
  return layer;
}

function sequentialFromKeras(config: JsonObject, registry: Registry): Sequential {
  // Keras 2.0 wrote the list of layers as the whole config.
  const list = Array.isArray(config) ? (config as Json[]) : config.layers;
  if (!Array.isArray(list) || list.length === 0)
    throw new FormatError(`modelTopology.config.layers: expected a non-empty array of layers; got ${describeValue(list)}.`);
  let inputShape: number[] | undefined;
  const layers: Layer[] = [];
  list.forEach((keras, i) => {
    const {class_name: className, config: layerConfig} = checkClassConfig(keras, `layer ${i} of the Sequential model`);
    if (className === 'InputLayer') {
      if (i !== 0) throw new FormatError(`modelTopology: an InputLayer may only come first in a Sequential model; layer ${i} is one.`);
      const shape = layerConfig.batch_input_shape ?? layerConfig.batch_shape;
      inputShape = shapeFromKeras(shape ?? null, true, `InputLayer '${String(layerConfig.name ?? '')}'`);
      checkInputDtype(layerConfig.dtype, 'the Sequential model');
      return;
    }
    let keras2 = keras;
    if (layers.length === 0 && inputShape && !('batch_input_shape' in layerConfig) && !('batch_shape' in layerConfig)) {
      keras2 = {class_name: className, config: {...layerConfig, batch_input_shape: [null, ...inputShape]}} as Json;
    }
    const layer = resolveLayer(registry, keras2, true);
    if (isMultiInputLayer(layer))
      throw new ConfigError(`Layer ${i} of the Sequential model ('${className}') takes several inputs; a Sequential model cannot hold it.`);
    layers.push(layer);
  });
  const name = typeof config.name === 'string' && config.name !== '' ? config.name : undefined;
  return new Sequential(layers, name === undefined ? {} : {name});
}

function checkInputDtype(dtype: Json | undefined, where: string): 'float32' | 'int32' {
  const name = isObject(dtype) && isObject(dtype.config) ? dtype.config.name : dtype;
  if (name === undefined || name === null || name === 'float32') return 'float32';
  if (name === 'int32') return 'int32';
  throw new ConfigError(`The input of ${where} has dtype ${JSON.stringify(dtype)}; Trellis inputs are float32 or int32.`);
}

type Ref = {layer: string; node: number; tensor: number};

function functionalFromKeras(config: JsonObject, registry: Registry): FunctionalModel {
  const list = config.layers;
  if (!Array.isArray(list)) throw new FormatError(`modelTopology.config.layers: expected an array of layers; got ${describeValue(list)}.`);
  const tensors = new Map<string, SymbolicTensor>();
  const key = (r: Ref) => `${r.layer}\u0000${r.node}\u0000${r.tensor}`;
  const inputs = new Map<string, SymbolicTensor>();
  const pending: {name: string; layer: Layer | MultiInputLayer; node: number; refs: Ref[]}[] = [];
  const names = new Set<string>();
  list.forEach((entry, i) => {
    const {class_name: className, config: layerConfig} = checkClassConfig(entry, `layer ${i} of the functional model`);
    const name = (entry as JsonObject).name ?? layerConfig.name;
    if (typeof name !== 'string' || name === '')
      throw new FormatError(`modelTopology.config.layers[${i}]: a layer of a functional model needs a name.`);
    if (names.has(name)) throw new FormatError(`modelTopology.config.layers: two layers are named '${name}'.`);
    names.add(name);
    if (className === 'InputLayer') {
      const shape = shapeFromKeras(layerConfig.batch_input_shape ?? layerConfig.batch_shape ?? null, true, `InputLayer '${name}'`);
      const t = input({shape, name, dtype: checkInputDtype(layerConfig.dtype, `input '${name}'`)});
      inputs.set(name, t);
      tensors.set(key({layer: name, node: 0, tensor: 0}), t);
      return;
    }
    const layer = resolveLayer(registry, {class_name: className, config: {...layerConfig, name}} as Json, true);
    const nodes = (entry as JsonObject).inbound_nodes;
    if (!Array.isArray(nodes)) throw new FormatError(`modelTopology: layer '${name}' has no inbound_nodes array.`);
    nodes.forEach((node, n) => pending.push({name, layer, node: n, refs: nodeRefs(node, name)}));
  });
  // Apply every node whose inputs exist, until all are applied (Keras' own order-free reading).
  while (pending.length > 0) {
    const ready = pending.findIndex((p) => p.refs.every((r) => tensors.has(key(r))));
    if (ready === -1) {
      const stuck = pending[0]!;
      const missing = stuck.refs.find((r) => !tensors.has(key(r)))!;
      throw new FormatError(
        `modelTopology: layer '${stuck.name}' takes the output ${missing.node} of '${missing.layer}', which the model does not make (a missing layer or a cycle).`,
      );
    }
    const {name, layer, node, refs} = pending.splice(ready, 1)[0]!;
    const args = refs.map((r) => tensors.get(key(r))!);
    if (!isMultiInputLayer(layer) && args.length !== 1)
      throw new ConfigError(`Layer '${name}' takes one input; its node ${node} has ${args.length}.`);
    tensors.set(key({layer: name, node, tensor: 0}), applyLayer(layer, isMultiInputLayer(layer) ? args : args[0]!));
  }
  const pick = (what: string, value: Json | undefined): SymbolicTensor[] => {
    if (!Array.isArray(value) || value.length === 0)
      throw new FormatError(`modelTopology.config.${what}: expected a list of [layer, node, tensor]; got ${describeValue(value)}.`);
    const refs = typeof value[0] === 'string' ? [value] : value;
    return refs.map((r) => {
      const ref = refOf(r, `modelTopology.config.${what}`);
      const t = tensors.get(key(ref));
      if (!t) throw new FormatError(`modelTopology.config.${what} names '${ref.layer}' (node ${ref.node}), which the model does not make.`);
      return t;
    });
  };
  const ins = pick('input_layers', config.input_layers);
  const outs = pick('output_layers', config.output_layers);
  const name = typeof config.name === 'string' && config.name !== '' ? config.name : undefined;
  const named = name === undefined ? {} : {name};
  return outs.length === 1
    ? functionalModel({inputs: ins, outputs: outs[0]!, ...named})
    : functionalModel({inputs: ins, outputs: outs, ...named});
}

function refOf(value: Json, where: string): Ref {
  if (!Array.isArray(value) || typeof value[0] !== 'string' || !Number.isInteger(value[1] ?? 0) || !Number.isInteger(value[2] ?? 0)) {
    throw new FormatError(`${where}: expected [layer, node, tensor]; got ${describeValue(value)}.`);
  }
  const tensor = (value[2] ?? 0) as number;
  if (tensor !== 0) throw new ConfigError(`${where}: output ${tensor} of layer '${value[0]}': Trellis layers have one output.`);
  if (value.length > 3 && isObject(value[3]) && Object.keys(value[3]).length > 0) {
    throw new ConfigError(
      `${where}: the call of layer '${value[0]}' passes arguments ${JSON.stringify(value[3])}, which Trellis layers do not take.`,
    );
  }
  return {layer: value[0], node: (value[1] ?? 0) as number, tensor};
}

/** The inputs of one inbound node, in Keras 2 (`[[layer, node, tensor, kwargs], ...]`) or Keras 3 (`{args, kwargs}`) form. */
function nodeRefs(node: Json, layer: string): Ref[] {
  const where = `modelTopology: an inbound node of '${layer}'`;
  if (Array.isArray(node)) return node.map((r) => refOf(r, where));
  if (isObject(node) && Array.isArray(node.args)) {
    // Keras records `training` in a node, and overrides it with the call's own when it runs the graph.
    if (isObject(node.kwargs) && Object.entries(node.kwargs).some(([k, v]) => k !== 'training' && v !== null && v !== undefined)) {
      throw new ConfigError(`${where} passes arguments ${JSON.stringify(node.kwargs)}, which Trellis layers do not take.`);
    }
    const flat = node.args.flatMap((a) => (Array.isArray(a) ? a : [a]));
    return flat.map((t) => {
      if (!isObject(t) || t.class_name !== '__keras_tensor__' || !isObject(t.config) || !Array.isArray(t.config.keras_history)) {
        throw new FormatError(`${where}: expected Keras tensors in args; got ${describeValue(t)}.`);
      }
      return refOf(t.config.keras_history, where);
    });
  }
  throw new FormatError(`${where}: expected a list of inputs or {args, kwargs}; got ${describeValue(node)}.`);
}
