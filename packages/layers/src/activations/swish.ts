import * as tf from '@tensorflow/tfjs-core';
import {defineActivation} from './define';
import type {Activation, ActivationConfig} from './types';

/**
 * The `swish` activation (spec id `trellis/swish`, Keras `"swish"`
 * and `"silu"`):
 * the sigmoid linear unit, `x · sigmoid(x)`. {@link silu} is the
 * same activation under its other Keras name.
 *
 * Shapes: any; the result has the shape of `x`. Dtype: float32.
 * Ownership: returns a new tensor owned by the caller; `x` is not disposed.
 */
export const swish: Activation<ActivationConfig> = /* @__PURE__ */ defineActivation('swish', function swish(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
});

/**
 * Keras' other name of {@link swish} (`"silu"`): the same activation object,
 * spec id `trellis/swish`.
 */
export const silu: Activation<ActivationConfig> = swish;
