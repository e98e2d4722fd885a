import * as tf from '@tensorflow/tfjs-core';
import {checkFiniteNumber, defineConfigurableActivation} from './define';
import type {ConfigurableActivation} from './types';

/** Config of {@link leakyRelu}. */
export type LeakyReluConfig = {
  /** Slope for negative inputs. Default 0.2 (Keras `keras.activations.leaky_relu`). */
  readonly negativeSlope: number;
};

/**
 * The `leakyRelu` activation (spec id `trellis/leakyRelu`, Keras
 * `"leaky_relu"`): `x` for `x ≥ 0`, `negativeSlope · x` otherwise. The default
 * slope is 0.2, Keras 3's default for the activation (the `leakyReLU` layer's
 * is 0.3). Another slope: `leakyRelu.with({negativeSlope: 0.1})`.
 *
 * Shapes: any; the result has the shape of `x`. Dtype: float32.
 * Ownership: returns a new tensor owned by the caller; `x` is not disposed.
 */
export const leakyRelu: ConfigurableActivation<LeakyReluConfig> = /* @__PURE__ */ defineConfigurableActivation<LeakyReluConfig>({
  name: 'leakyRelu',
  defaults: {negativeSlope: 0.2},
  check: (key, value) => checkFiniteNumber('leakyRelu', key, value),
  make: ({negativeSlope}) =>
    function leakyRelu(x: tf.Tensor): tf.Tensor {
      return tf.leakyRelu(x, negativeSlope);
    },
});
