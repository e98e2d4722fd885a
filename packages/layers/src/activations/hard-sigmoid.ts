import * as tf from '@tensorflow/tfjs-core';
import {defineActivation} from './define';
import type {Activation, ActivationConfig} from './types';

/**
 * The `hardSigmoid` activation (spec id `trellis/hardSigmoid`, Keras `"hard_sigmoid"`):
 * the piecewise linear approximation of the sigmoid of
 * Keras 3, `relu6(x + 3) / 6`: 0 below -3, 1 above 3, `x / 6 + 0.5` between
 * (Keras 2 and tfjs-layers used `0.2 · x + 0.5`).
 *
 * Shapes: any; the result has the shape of `x`. Dtype: float32.
 * Ownership: returns a new tensor owned by the caller; `x` is not disposed.
 */
export const hardSigmoid: Activation<ActivationConfig> = /* @__PURE__ */ defineActivation(
  'hardSigmoid',
  function hardSigmoid(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.div(tf.relu6(tf.add(x, 3)), 6));
  },
);
