/**
 * Trellis specs as the Keras constructor arguments that mean the same thing:
 * `{class_name, config}`, which `python/oracle/kinds.py` instantiates as
 * `keras.<module>.<class_name>(**config)`. Each later feature adds its ids.
 * @module
 */
import type {Json, Layer, Loss, Optimizer, Spec} from 'trellis';

/** A Keras class and its constructor's keyword arguments. */
export type KerasSpec = {class_name: string; config: Record<string, Json>};

function unknown(kind: string, spec: Spec): never {
  throw new Error(`No Keras equivalent of the ${kind} ${spec.id} is known to the interop suite: add it to keras-config.ts`);
}

/** The Keras layer for a Trellis layer (weights are assigned separately, by name). */
export function kerasLayer(layer: Layer): KerasSpec {
  const {id, config} = layer.spec as Spec<Record<string, Json>>;
  switch (id) {
    case 'trellis/dense':
      return {class_name: 'Dense', config: {units: config.units!, activation: config.activation!, use_bias: config.useBias!}};
    case 'trellis/activation':
      return {class_name: 'Activation', config: {activation: config.activation!}};
    case 'trellis/flatten':
      return {class_name: 'Flatten', config: {}};
    default:
      return unknown('layer', layer.spec);
  }
}

const LOSSES: Readonly<Record<string, string>> = {
  'trellis/meanSquaredError': 'MeanSquaredError',
  'trellis/binaryCrossentropy': 'BinaryCrossentropy',
  'trellis/categoricalCrossentropy': 'CategoricalCrossentropy',
  'trellis/sparseCategoricalCrossentropy': 'SparseCategoricalCrossentropy',
};

/** The Keras loss for a Trellis loss. */
export function kerasLoss(loss: Loss): KerasSpec {
  const className = LOSSES[loss.spec.id] ?? unknown('loss', loss.spec);
  const config = loss.spec.config as Record<string, Json>;
  return {class_name: className, config: 'fromLogits' in config ? {from_logits: config.fromLogits!} : {}};
}

/** The Keras optimizer for a Trellis optimizer with a constant learning rate. */
export function kerasOptimizer(optimizer: Optimizer): KerasSpec {
  const {id, config} = optimizer.spec as Spec<Record<string, Json>>;
  if (typeof config.learningRate !== 'number') throw new Error(`${id}: only constant learning rates map to Keras here`);
  switch (id) {
    case 'trellis/sgd':
      return {
        class_name: 'SGD',
        config: {learning_rate: config.learningRate, momentum: config.momentum!, nesterov: config.nesterov!},
      };
    case 'trellis/adam':
      return {
        class_name: 'Adam',
        config: {learning_rate: config.learningRate, beta_1: config.beta1!, beta_2: config.beta2!, epsilon: config.epsilon!},
      };
    default:
      return unknown('optimizer', optimizer.spec);
  }
}
