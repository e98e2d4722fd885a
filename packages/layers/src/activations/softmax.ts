import * as tf from '@tensorflow/tfjs-core';
import {ShapeError} from '@trellis/core';
import {defineActivation} from './define';
import type {Activation, ActivationConfig} from './types';

/**
 * The `softmax` activation (spec id `trellis/softmax`, Keras `"softmax"`):
 * `exp(x_i) / sum_j exp(x_j)` over the last axis, computed after subtracting
 * the row maximum so large logits do not overflow.
 *
 * Shapes: rank ≥ 1; the result has the shape of `x` and each slice along the
 * last axis sums to 1. Dtype: float32.
 * Ownership: returns a new tensor owned by the caller; `x` is not disposed.
 *
 * @throws ShapeError for a scalar (there is no axis to normalize over).
 */
export const softmax: Activation<ActivationConfig> = /* @__PURE__ */ defineActivation(
  'softmax',
  function softmax(x: tf.Tensor): tf.Tensor {
    if (x.rank === 0) {
      throw new ShapeError('softmax normalizes over the last axis and needs a tensor of rank ≥ 1; got a scalar.');
    }
    return tf.softmax(x);
  },
);
