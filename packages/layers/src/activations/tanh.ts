import * as tf from '@tensorflow/tfjs-core';
import {defineActivation} from './define';
import type {Activation, ActivationConfig} from './types';

/**
 * The `tanh` activation (spec id `trellis/tanh`, Keras `"tanh"`):
 * the hyperbolic tangent.
 *
 * Shapes: any; the result has the shape of `x`. Dtype: float32.
 * Ownership: returns a new tensor owned by the caller; `x` is not disposed.
 */
export const tanh: Activation<ActivationConfig> = /* @__PURE__ */ defineActivation('tanh', function tanh(x: tf.Tensor): tf.Tensor {
  return tf.tanh(x);
});
