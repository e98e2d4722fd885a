import * as tf from '@tensorflow/tfjs-core';
import {defineActivation} from './define';
import type {Activation, ActivationConfig} from './types';

/**
 * The `mish` activation (spec id `trellis/mish`, Keras `"mish"`):
 * `x · tanh(softplus(x))`, as Keras computes it.
 *
 * Shapes: any; the result has the shape of `x`. Dtype: float32.
 * Ownership: returns a new tensor owned by the caller; `x` is not disposed.
 */
export const mish: Activation<ActivationConfig> = /* @__PURE__ */ defineActivation('mish', function mish(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.tanh(tf.softplus(x))));
});
