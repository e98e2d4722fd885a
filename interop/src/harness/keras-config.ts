/**
 * Trellis specs as the Keras constructor arguments that mean the same thing:
 * `{class_name, config}`, which `python/oracle/kinds.py` instantiates as
 * `keras.<module>.<class_name>(**config)`. Each table maps a Trellis spec id to
 * its Keras class; add a line when a layer, loss or optimizer is added.
 * @module
 */
import type {Json, Layer, Loss, Optimizer, Spec} from 'trellis';

/** A Keras class and its constructor's keyword arguments. */
export type KerasSpec = {class_name: string; config: Record<string, Json>};

type Config = Readonly<Record<string, Json | undefined>>;
type Translate = (config: Config) => KerasSpec;

/** Layers: Trellis id → Keras layer (weights are assigned separately, by their short names). */
const LAYERS: Readonly<Record<string, Translate>> = {
  'trellis/dense': (c) => ({class_name: 'Dense', config: {units: c.units!, activation: c.activation!, use_bias: c.useBias!}}),
  'trellis/activation': (c) => ({class_name: 'Activation', config: {activation: c.activation!}}),
  'trellis/flatten': () => ({class_name: 'Flatten', config: {}}),
};

/** Losses: Trellis id → Keras loss. */
const LOSSES: Readonly<Record<string, Translate>> = {
  'trellis/meanSquaredError': () => ({class_name: 'MeanSquaredError', config: {}}),
  'trellis/binaryCrossentropy': (c) => ({class_name: 'BinaryCrossentropy', config: {from_logits: c.fromLogits!}}),
  'trellis/categoricalCrossentropy': (c) => ({class_name: 'CategoricalCrossentropy', config: {from_logits: c.fromLogits!}}),
  'trellis/sparseCategoricalCrossentropy': (c) => ({
    class_name: 'SparseCategoricalCrossentropy',
    config: {from_logits: c.fromLogits!},
  }),
};

/** Optimizers with a constant learning rate: Trellis id → Keras optimizer. */
const OPTIMIZERS: Readonly<Record<string, Translate>> = {
  'trellis/sgd': (c) => ({
    class_name: 'SGD',
    config: {learning_rate: c.learningRate!, momentum: c.momentum!, nesterov: c.nesterov!},
  }),
  'trellis/adam': (c) => ({
    class_name: 'Adam',
    config: {learning_rate: c.learningRate!, beta_1: c.beta1!, beta_2: c.beta2!, epsilon: c.epsilon!},
  }),
};

function translate(kind: string, table: Readonly<Record<string, Translate>>, spec: Spec): KerasSpec {
  const entry = table[spec.id];
  if (!entry) throw new Error(`No Keras equivalent of the ${kind} ${spec.id} is known to the interop suite: add it to keras-config.ts`);
  return entry(spec.config as Config);
}

/** The Keras layer for a Trellis layer. */
export function kerasLayer(layer: Layer): KerasSpec {
  return translate('layer', LAYERS, layer.spec);
}

/** The Keras loss for a Trellis loss. */
export function kerasLoss(loss: Loss): KerasSpec {
  return translate('loss', LOSSES, loss.spec);
}

/** The Keras optimizer for a Trellis optimizer with a constant learning rate. */
export function kerasOptimizer(optimizer: Optimizer): KerasSpec {
  if (typeof (optimizer.spec.config as Config).learningRate !== 'number') {
    throw new Error(`${optimizer.spec.id}: only constant learning rates map to Keras here`);
  }
  return translate('optimizer', OPTIMIZERS, optimizer.spec);
}
