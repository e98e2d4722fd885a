import * as tf from '@tensorflow/tfjs-core';
import {defineActivation} from './define';
import type {Activation, ActivationConfig} from './types';

/**
 * The `softplus` activation (spec id `trellis/softplus`, Keras `"softplus"`):
 * `log(exp(x) + 1)`. tfjs' kernel returns `x` for large `x` and `exp(x)`
 * for very negative `x`, where those equal softplus to float32 precision, so it
 * neither overflows nor underflows. The gradient is `sigmoid(x)`.
 *
 * Shapes: any; the result has the shape of `x`. Dtype: float32.
 * Ownership: returns a new tensor owned by the caller; `x` is not disposed.
 */
export const softplus: Activation<ActivationConfig> = /* @__PURE__ */ defineActivation(
  'softplus',
  function softplus(x: tf.Tensor): tf.Tensor {
    return tf.softplus(x);
  },
);
