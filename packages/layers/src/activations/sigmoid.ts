import * as tf from '@tensorflow/tfjs-core';
import {defineActivation} from './define';
import type {Activation, ActivationConfig} from './types';

/**
 * The `sigmoid` activation (spec id `trellis/sigmoid`, Keras `"sigmoid"`):
 * the logistic function, `1 / (1 + exp(-x))`.
 *
 * Shapes: any; the result has the shape of `x`. Dtype: float32.
 * Ownership: returns a new tensor owned by the caller; `x` is not disposed.
 */
export const sigmoid: Activation<ActivationConfig> = /* @__PURE__ */ defineActivation('sigmoid', function sigmoid(x: tf.Tensor): tf.Tensor {
  return tf.sigmoid(x);
});
