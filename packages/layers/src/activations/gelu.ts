import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, describe} from '@trellis/core';
import {defineConfigurableActivation} from './define';
import type {ConfigurableActivation} from './types';

/** Config of {@link gelu}. */
export type GeluConfig = {
  /** Whether to use the tanh approximation. Default false (Keras `keras.activations.gelu`, `approximate=False`). */
  readonly approximate: boolean;
};

/**
 * The `gelu` activation (spec id `trellis/gelu`, Keras `"gelu"`): the
 * Gaussian error linear unit. Exact by default, as Keras' activation,
 * `x · (1 + erf(x / √2)) / 2`; `gelu.with({approximate: true})` gives the tanh
 * approximation, `x · (1 + tanh(√(2/π) · (x + 0.044715 x³))) / 2` (Keras
 * `gelu(x, approximate=True)`).
 *
 * The exact form uses tfjs' `Erf` kernel, a polynomial approximation of erf
 * with an absolute error below 1.5e-7.
 *
 * Shapes: any; the result has the shape of `x`. Dtype: float32.
 * Ownership: returns a new tensor owned by the caller; `x` is not disposed.
 */
export const gelu: ConfigurableActivation<GeluConfig> = /* @__PURE__ */ defineConfigurableActivation<GeluConfig>({
  name: 'gelu',
  defaults: {approximate: false},
  check: (key, value) => {
    if (typeof value !== 'boolean') throw new ConfigError(`gelu: ${key} must be a boolean; got ${describe(value)}.`);
  },
  make: ({approximate}) =>
    approximate
      ? function gelu(x: tf.Tensor): tf.Tensor {
          return tf.tidy(() => {
            const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.mul(x, tf.square(x)))));
            return tf.mul(x, tf.mul(0.5, tf.add(1, tf.tanh(inner))));
          });
        }
      : function gelu(x: tf.Tensor): tf.Tensor {
          return tf.tidy(() => tf.div(tf.mul(x, tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)), 2));
        },
});
