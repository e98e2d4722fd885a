/**
 * The model config of a `.keras` `config.json` (and of a legacy `.h5`
 * `model_config`) as Keras 3 writes it: every object with `module`,
 * `class_name`, `config` and `registered_name`, layers with a `DTypePolicy`
 * and a `build_config`, a Sequential model with its `InputLayer`, a
 * Functional model with its layers in Keras' order and Keras 3 inbound nodes
 * (internal).
 * @module
 */
import {FunctionalModel, Sequential, isMultiInputLayer, type Json, type SymbolicTensor} from '@trellis/core';
import {layerApplications} from '../keras-config/applications';
import {kerasModelConfig} from '../keras-config/model';
import {isObject, type JsonObject} from '../keras-config/types';

const FLOAT32_POLICY: Json = {module: 'keras', class_name: 'DTypePolicy', config: {name: 'float32'}, registered_name: null};

/** Keras modules of nested objects, by the suffix of their config key. */
const NESTED_MODULES: readonly [string, string][] = [
  ['_initializer', 'keras.initializers'],
  ['_regularizer', 'keras.regularizers'],
  ['_constraint', 'keras.constraints'],
];

type Shape = readonly (number | null)[];

/** A Keras 3 `{module, class_name, config, registered_name}` of a layer, nested objects included. */
function kerasLayerObject(keras: {class_name: string; config: JsonObject}, buildShape: Json | undefined): JsonObject {
  const config: Record<string, Json> = {};
  for (const [key, value] of Object.entries(keras.config)) {
    if (value === undefined) continue;
    const module = NESTED_MODULES.find(([suffix]) => key.endsWith(suffix))?.[1];
    config[key] =
      module && isObject(value) && typeof value.class_name === 'string'
        ? {module, class_name: value.class_name, config: value.config ?? {}, registered_name: null}
        : value;
  }
  config.dtype = FLOAT32_POLICY;
  return {
    module: 'keras.layers',
    class_name: keras.class_name,
    config,
    registered_name: null,
    ...(buildShape === undefined ? {} : {build_config: {input_shape: buildShape}}),
  };
}

function inputLayer(name: string, shape: Shape): JsonObject {
  return {
    module: 'keras.layers',
    class_name: 'InputLayer',
    config: {batch_shape: [null, ...shape], dtype: 'float32', sparse: false, ragged: false, name, optional: false},
    registered_name: null,
  };
}

/**
 * The Keras 3 `config.json` of a `Sequential` or functional model (without
 * `compile_config`). Functional layers come in Keras' `model.layers` order
 * (by depth from the outputs, as `model.summary()` lists them), which is the
 * order of their weight paths in `model.weights.h5`.
 * @throws ConfigError / UnknownIdError as `kerasModelConfig` for a layer or option Keras cannot express.
 */
export function kerasFileModelConfig(model: Sequential | FunctionalModel): JsonObject {
  const base = kerasModelConfig(model, {dialect: 'keras'});
  if (model instanceof Sequential) return sequentialConfig(model, base.config);
  return functionalConfig(model, base.config);
}

function sequentialConfig(model: Sequential, base: JsonObject): JsonObject {
  const inputShape = [null, ...model.inputShape!];
  const rows = model.summary({print: false}).layers;
  const list = base.layers as {class_name: string; config: JsonObject}[];
  const layers: Json[] = [inputLayer('input_layer', model.inputShape!)];
  list.forEach((keras, i) => {
    const {batch_shape: _ignored, ...config} = keras.config;
    layers.push(kerasLayerObject({class_name: keras.class_name, config}, i === 0 ? inputShape : [...rows[i - 1]!.outputShape]));
  });
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: {name: model.name, trainable: true, dtype: FLOAT32_POLICY, layers, build_input_shape: inputShape},
    registered_name: null,
    build_config: {input_shape: inputShape},
  };
}

function functionalConfig(model: FunctionalModel, base: JsonObject): JsonObject {
  const apps = layerApplications(model);
  const history = (t: SymbolicTensor): Json =>
    t.source.kind === 'input' ? [t.name, 0, 0] : [t.source.layer.name, apps.get(t.source.layer)!.indexOf(t), 0];
  const kerasTensor = (t: SymbolicTensor): Json => ({
    class_name: '__keras_tensor__',
    config: {shape: [null, ...t.shape], dtype: t.dtype, keras_history: history(t)},
  });
  const entries = new Map<string, JsonObject>();
  for (const t of model.inputs) entries.set(t.name, {...inputLayer(t.name, t.shape), name: t.name, inbound_nodes: []});
  const byName = new Map(((base.layers ?? []) as JsonObject[]).map((entry) => [entry.name as string, entry]));
  for (const layer of model.layers) {
    const keras = byName.get(layer.name)!;
    const nodes = (apps.get(layer) ?? []).map((t) => (t.source.kind === 'layer' ? t.source.inputs : []));
    const multi = isMultiInputLayer(layer);
    const first = nodes[0] ?? [];
    const buildShape: Json = multi ? first.map((t) => [null, ...t.shape]) : [null, ...(first[0]?.shape ?? [])];
    entries.set(layer.name, {
      ...kerasLayerObject({class_name: keras.class_name as string, config: keras.config as JsonObject}, buildShape),
      name: layer.name,
      inbound_nodes: nodes.map((inputs) => ({args: multi ? [inputs.map(kerasTensor)] : inputs.map(kerasTensor), kwargs: {}})),
    });
  }
  const order = model.summary({print: false}).layers.map((row) => row.name);
  const layers = order.map((name) => entries.get(name)).filter((e): e is JsonObject => e !== undefined);
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: {
      name: model.name,
      trainable: true,
      layers,
      input_layers: model.inputs.map(history),
      output_layers: model.outputs.length === 1 ? history(model.outputs[0]!) : model.outputs.map(history),
    },
    registered_name: 'Functional',
    build_config: {input_shape: null},
  };
}

/**
 * The legacy `.h5` `model_config` of a Keras 3 model config: `{class_name,
 * config}`, and each layer entry without `module`, `registered_name` and
 * `build_config` (nested objects keep theirs, as Keras 3 writes it).
 */
export function legacyModelConfig(config: JsonObject): JsonObject {
  const inner = config.config as JsonObject;
  const layers = ((inner.layers ?? []) as JsonObject[]).map((entry) => {
    const {module: _m, registered_name: _r, build_config: _b, ...rest} = entry;
    return rest;
  });
  return {class_name: config.class_name as string, config: {...inner, layers}};
}
