import * as tf from '@tensorflow/tfjs-core';
import {defineActivation} from './define';
import type {Activation, ActivationConfig} from './types';

/**
 * The `relu` activation (spec id `trellis/relu`, Keras `"relu"`):
 * the rectified linear unit, `max(x, 0)`. The gradient at 0 is 0 (as in TensorFlow).
 *
 * Shapes: any; the result has the shape of `x`. Dtype: float32.
 * Ownership: returns a new tensor owned by the caller; `x` is not disposed.
 */
export const relu: Activation<ActivationConfig> = /* @__PURE__ */ defineActivation('relu', function relu(x: tf.Tensor): tf.Tensor {
  return tf.relu(x);
});
