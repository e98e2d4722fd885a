/**
 * Layers: a Trellis layer spec ↔ a Keras layer `{class_name, config}`.
 * @module
 */
import {ConfigError, describeValue, type Json, type Layer, type MultiInputLayer, type Spec} from '@trellis/core';
import {activationFromKeras, kerasActivation} from './activations';
import type {LayerEntry} from './layer-entry';
import {ACTIVATION_LAYERS} from './layers-activation';
import {CONV_LAYERS} from './layers-conv';
import {CORE_LAYERS} from './layers-core';
import {MERGE_LAYERS} from './layers-merge';
import {NORMALIZATION_LAYERS} from './layers-normalization';
import {POOLING_LAYERS} from './layers-pooling';
import {PREPROCESSING_LAYERS} from './layers-preprocessing';
import {REGULARIZATION_LAYERS} from './layers-regularization';
import {RESHAPING_LAYERS} from './layers-reshaping';
import {kerasNested, nestedFromKeras, type NestedKind} from './nested';
import {
  ClassTable,
  camelCase,
  checkClassConfig,
  isObject,
  jsonEqual,
  own,
  snakeCase,
  type JsonObject,
  type KerasClassConfig,
  type KerasWriteOptions,
} from './types';

const LAYERS = new ClassTable<LayerEntry>('layer', [
  ...CORE_LAYERS,
  ...CONV_LAYERS,
  ...POOLING_LAYERS,
  ...NORMALIZATION_LAYERS,
  ...REGULARIZATION_LAYERS,
  ...ACTIVATION_LAYERS,
  ...MERGE_LAYERS,
  ...RESHAPING_LAYERS,
  ...PREPROCESSING_LAYERS,
]);

/** Deprecated Trellis layer ids, written as their current ids. */
const OLD_IDS: Readonly<Record<string, string>> = {
  'trellis/eluLayer': 'trellis/elu',
  'trellis/leakyReLU': 'trellis/leakyRelu',
  'trellis/reLU': 'trellis/relu',
  'trellis/softmaxLayer': 'trellis/softmax',
};

/** Keys every Keras layer may carry that say nothing Trellis needs (the input shape and `trainable` are read apart). */
const BASE_KERAS_KEYS = new Set(['dtype', 'batch_size', 'dynamic', 'autocast', 'input_dtype', 'sparse', 'ragged']);

/** The Trellis layer ids that have a Keras class, sorted. */
export function kerasLayerIds(): string[] {
  return LAYERS.ids();
}

/** The Keras layer classes Trellis reads, sorted (besides `InputLayer`, which models read). */
export function kerasLayerClassNames(): string[] {
  return LAYERS.classNames();
}

function nestedKind(key: string): NestedKind | null {
  if (key.endsWith('Initializer') || key.endsWith('_initializer')) return 'initializer';
  if (key.endsWith('Regularizer') || key.endsWith('_regularizer')) return 'regularizer';
  if (key.endsWith('Constraint') || key.endsWith('_constraint')) return 'constraint';
  return null;
}

/**
 * The name tfjs-layers gives the weight `weight` (short: `kernel`) of a layer
 * with spec id `id`: Trellis and Keras 3 name a depthwise kernel `kernel`,
 * tfjs-layers and Keras 2 `depthwise_kernel`. Other weights keep their names.
 */
export function tfjsWeightName(id: string, weight: string): string {
  let entry: LayerEntry | undefined;
  try {
    entry = LAYERS.forId(own(OLD_IDS, id) ?? id);
  } catch {
    return weight;
  }
  return own(entry.tfjsWeights, weight) ?? weight;
}

/**
 * The Keras `{class_name, config}` of a Trellis layer (or its spec), as
 * tfjs-layers' `model.json` and Keras write it: snake_case keys, nested
 * initializers, regularizers and constraints as Keras class configs, the
 * activation by its Keras name, `inputShape` as `batch_input_shape`, plus
 * `name`, `trainable` and `dtype`.
 *
 * @example
 * kerasLayerConfig(dense({units: 10, activation: 'softmax', name: 'out'}));
 * // {class_name: 'Dense', config: {name: 'out', units: 10, activation: 'softmax', use_bias: true, ...}}
 * @throws UnknownIdError for a layer (or a nested initializer, regularizer, constraint or activation)
 *   without a Keras class, listing those with one; ConfigError for an option a Keras config cannot
 *   express (an activation with options), naming it.
 */
export function kerasLayerConfig(layer: Layer | MultiInputLayer | Spec, options: KerasWriteOptions = {}): KerasClassConfig {
  const isLayerObject = isObject(layer) && 'spec' in layer && !('id' in layer);
  const spec = isLayerObject ? (layer as Layer).spec : (layer as Spec);
  if (!isObject(spec) || typeof spec.id !== 'string')
    throw new ConfigError(`kerasLayerConfig expects a layer or a layer spec; got ${describeValue(layer)}.`);
  const id = own(OLD_IDS, spec.id) ?? spec.id;
  const entry = LAYERS.forId(id);
  const config = (isObject(spec.config) ? spec.config : {}) as JsonObject;
  const dialect = options.dialect ?? 'tfjs';
  const where = `layer '${typeof config.name === 'string' && config.name ? config.name : id}'`;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (key === 'name') {
      if (value !== '') out.name = value;
    } else if (key === 'inputShape') {
      if (value !== null) out[dialect === 'keras' ? 'batch_shape' : 'batch_input_shape'] = [null, ...(value as number[])];
    } else if (key === 'trainable') {
      out.trainable = value;
    } else if (key === 'activation') {
      out.activation = kerasActivation(value, where);
    } else if (key === 'dataFormat') {
      out.data_format = value === 'channelsFirst' ? 'channels_first' : value === 'channelsLast' ? 'channels_last' : value;
    } else {
      const kind = nestedKind(key);
      const kerasKey = own(entry.rename, key) ?? snakeCase(key);
      out[kerasKey] = kind ? kerasNested(kind, value, where, dialect) : value;
    }
  }
  if (!('trainable' in out)) out.trainable = isLayerObject ? (layer as Layer).trainable !== false : true;
  out.dtype = 'float32';
  return {class_name: entry.className, config: out};
}

/**
 * The Trellis layer spec of a Keras layer `{class_name, config}` (Keras 2,
 * Keras 3 or tfjs-layers spelling), ready for `registry.resolve('layer', spec)`.
 * `batch_input_shape` / `batch_shape` become `inputShape`; `trainable` is
 * left to the caller (set `layer.trainable`), except for batch
 * normalization, whose config holds it.
 *
 * Nothing is evaluated: a class without a Trellis layer (a `Lambda`, a
 * custom layer) is refused.
 * @throws UnknownIdError for an unknown class (listing the known ones) or an unknown nested class;
 *   ConfigError for a Keras option Trellis cannot honour (a non-float32 dtype, `mask_zero: true`…), naming it.
 */
export function layerSpecFromKeras(classConfig: KerasClassConfig | Json): Spec {
  const {class_name: className, config} = checkClassConfig(classConfig, 'a layer');
  const entry = LAYERS.forClass(className);
  const name = typeof config.name === 'string' ? config.name : className;
  const where = `Keras layer '${name}' (${className})`;
  const reverse = Object.fromEntries(Object.entries(entry.rename ?? {}).map(([ours, theirs]) => [theirs, ours]));
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (key === 'name') {
      out.name = value;
    } else if (key === 'trainable') {
      if (entry.trainableInConfig) out.trainable = value;
    } else if (key === 'batch_input_shape' || key === 'batch_shape' || key === 'input_shape') {
      if (value !== null) out.inputShape = shapeFromKeras(value, key !== 'input_shape', where);
    } else if (key === 'dtype') {
      checkFloat32(value, where);
    } else if (BASE_KERAS_KEYS.has(key)) {
      continue;
    } else if (entry.kerasOnly && Object.hasOwn(entry.kerasOnly, key)) {
      if (!jsonEqual(value, entry.kerasOnly[key])) {
        throw new ConfigError(
          `${where}: Trellis' ${entry.id} has no option '${key}'; it can read only ${JSON.stringify(entry.kerasOnly[key])} (what the Trellis layer does), got ${JSON.stringify(value)}.`,
        );
      }
    } else if (key === 'activation') {
      out.activation = activationFromKeras(value, where);
    } else if (key === 'data_format') {
      out.dataFormat =
        value === 'channels_first' || value === 'channelsFirst'
          ? 'channelsFirst'
          : value === 'channels_last' || value === 'channelsLast'
            ? 'channelsLast'
            : value;
    } else {
      const ours = own(reverse, key) ?? own(entry.readAliases, key) ?? camelCase(key);
      const kind = nestedKind(key);
      if (kind) out[ours] = nestedFromKeras(kind, value, where);
      // Keras' pooling `strides: None` means "the pool size", Trellis' default.
      else if (!(value === null && ours === 'strides')) out[ours] = value;
    }
  }
  return {id: entry.id, config: out};
}

/** The shape without batch from a Keras shape (with batch when `withBatch`). */
export function shapeFromKeras(value: Json, withBatch: boolean, where: string): number[] {
  if (!Array.isArray(value)) throw new ConfigError(`${where}: expected an input shape array; got ${describeValue(value)}.`);
  const dims = withBatch ? value.slice(1) : value;
  if (!dims.every((d) => Number.isInteger(d) && (d as number) > 0)) {
    throw new ConfigError(
      `${where}: the input shape ${JSON.stringify(value)} has dimensions that are not fixed positive integers; ` +
        'Trellis models need a fixed shape per sample (only the batch dimension may be null).',
    );
  }
  return dims as number[];
}

/** Throws unless a Keras `dtype` (a name or a DTypePolicy) is float32. */
function checkFloat32(value: Json, where: string): void {
  if (value === null || value === 'float32') return;
  if (isObject(value) && isObject(value.config) && value.config.name === 'float32') return;
  throw new ConfigError(`${where}: Trellis layers compute in float32; got dtype ${JSON.stringify(value)}.`);
}
