import * as tf from '@tensorflow/tfjs-core';
import {checkFiniteNumber, defineConfigurableActivation} from './define';
import type {ConfigurableActivation} from './types';

/** Config of {@link elu}. */
export type EluConfig = {
  /** Scale of the negative part. Default 1 (Keras `alpha=1.0`). */
  readonly alpha: number;
};

/**
 * The `elu` activation (spec id `trellis/elu`, Keras `"elu"`): the
 * exponential linear unit, `x` for `x > 0`, `alpha · (exp(x) − 1)` otherwise.
 * Another alpha: `elu.with({alpha: 0.5})`.
 *
 * Shapes: any; the result has the shape of `x`. Dtype: float32.
 * Ownership: returns a new tensor owned by the caller; `x` is not disposed.
 */
export const elu: ConfigurableActivation<EluConfig> = /* @__PURE__ */ defineConfigurableActivation<EluConfig>({
  name: 'elu',
  defaults: {alpha: 1},
  check: (key, value) => checkFiniteNumber('elu', key, value),
  make: ({alpha}) =>
    function elu(x: tf.Tensor): tf.Tensor {
      if (alpha === 1) return tf.elu(x);
      // As Keras: x for x > 0, alpha · expm1(min(x, 0)) otherwise (tf.elu is expm1 for x ≤ 0).
      return tf.tidy(() => tf.add(tf.relu(x), tf.mul(alpha, tf.elu(tf.minimum(x, 0)))));
    },
});
