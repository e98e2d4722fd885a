import * as tf from '@tensorflow/tfjs-core';
import {defineActivation} from './define';
import type {Activation, ActivationConfig} from './types';

/**
 * The `linear` activation (spec id `trellis/linear`, Keras `"linear"`):
 * the identity, `linear(x) = x` (Keras' `activation=None`). Unlike Keras it
 * returns a new tensor handle that shares `x`'s data (`tf.clone`, no copy),
 * so the caller may dispose the result independently of `x`.
 *
 * Shapes: any; the result has the shape of `x`. Dtype: float32.
 * Ownership: returns a new tensor owned by the caller; `x` is not disposed.
 */
export const linear: Activation<ActivationConfig> = /* @__PURE__ */ defineActivation('linear', function linear(x: tf.Tensor): tf.Tensor {
  return tf.clone(x);
});
