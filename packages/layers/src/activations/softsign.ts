import * as tf from '@tensorflow/tfjs-core';
import {defineActivation} from './define';
import type {Activation, ActivationConfig} from './types';

/**
 * The `softsign` activation (spec id `trellis/softsign`, Keras `"softsign"`):
 * `x / (|x| + 1)`.
 *
 * Shapes: any; the result has the shape of `x`. Dtype: float32.
 * Ownership: returns a new tensor owned by the caller; `x` is not disposed.
 */
export const softsign: Activation<ActivationConfig> = /* @__PURE__ */ defineActivation(
  'softsign',
  function softsign(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.div(x, tf.add(tf.abs(x), 1)));
  },
);
