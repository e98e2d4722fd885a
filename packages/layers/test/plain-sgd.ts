/**
 * A plain SGD optimizer for the layer tests that train a model (not
 * exported): this package does not depend on the optimizers plugin.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform} from '@trellis/core';

/** Plain SGD written against the contract: each update is `-learningRate · gradient` (new tensors the caller applies and disposes), with no state. */
export function sgd(learningRate: number): GradientTransform {
  return {
    init: () => ({}),
    update: (grads, state) => ({
      updates: Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, -learningRate)])),
      state,
    }),
  };
}
