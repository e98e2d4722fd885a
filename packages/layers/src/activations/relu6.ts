import * as tf from '@tensorflow/tfjs-core';
import {defineActivation} from './define';
import type {Activation, ActivationConfig} from './types';

/**
 * The `relu6` activation (spec id `trellis/relu6`, Keras `"relu6"`):
 * the rectified linear unit capped at 6, `min(max(x, 0), 6)`.
 *
 * Shapes: any; the result has the shape of `x`. Dtype: float32.
 * Ownership: returns a new tensor owned by the caller; `x` is not disposed.
 */
export const relu6: Activation<ActivationConfig> = /* @__PURE__ */ defineActivation('relu6', function relu6(x: tf.Tensor): tf.Tensor {
  return tf.relu6(x);
});
