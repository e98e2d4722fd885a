import * as tf from '@tensorflow/tfjs-core';
import {defineActivation} from './define';
import type {Activation, ActivationConfig} from './types';

/**
 * The `selu` activation (spec id `trellis/selu`, Keras `"selu"`):
 * the scaled exponential linear unit, `scale · x` for `x > 0`, `scale · alpha ·
 * (exp(x) − 1)` otherwise, with Keras' constants `alpha = 1.6732632423543772` and
 * `scale = 1.0507009873554805`. Use it with `lecunNormal` initialization.
 *
 * Shapes: any; the result has the shape of `x`. Dtype: float32.
 * Ownership: returns a new tensor owned by the caller; `x` is not disposed.
 */
export const selu: Activation<ActivationConfig> = /* @__PURE__ */ defineActivation('selu', function selu(x: tf.Tensor): tf.Tensor {
  return tf.selu(x);
});
