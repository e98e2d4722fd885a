import * as tf from '@tensorflow/tfjs-core';
import {RateNoise, type RateNoiseConfig, type RateNoiseLayer, type RateNoiseOptions} from './rate-noise';

/** Options of {@link alphaDropout}. */
export type AlphaDropoutOptions = RateNoiseOptions & {
  /** Fraction of inputs to drop, in [0, 1). Required (Keras `rate`). */
  readonly rate: number;
};

/** The JSON config in an alpha dropout layer's spec (`trellis/alphaDropout`). */
export type AlphaDropoutConfig = RateNoiseConfig;

/** An alpha dropout layer: the {@link Layer} contract plus its options. */
export type AlphaDropoutLayer = RateNoiseLayer<AlphaDropoutConfig>;

/** SELU's constants, as Keras writes them. */
const ALPHA = 1.6732632423543772848170429916717;
const SCALE = 1.0507009873554804934193349852946;

/**
 * Dropout that keeps SELU's self-normalization (Keras `AlphaDropout`): in
 * training each input is replaced with probability `rate` by SELU's negative
 * saturation `α' = −α·λ`, then `a · x + b` restores zero mean and unit
 * variance for standardized inputs, with `a = ((1 − rate)(1 + rate·α'²))^−½`
 * and `b = −a·α'·rate`. Identity outside training and for `rate: 0`. No
 * weights; output shape = input shape, float32 in training.
 *
 * Seeded like {@link dropout}. `call` returns a new tensor owned by the
 * caller and disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError if `rate` is not in [0, 1) or `seed` is invalid.
 */
export function alphaDropout(options: AlphaDropoutOptions): AlphaDropoutLayer {
  return new AlphaDropout('alphaDropout', options);
}

class AlphaDropout extends RateNoise implements AlphaDropoutLayer {
  protected noise(x: tf.Tensor, seed: number): tf.Tensor {
    const rate = this.rate;
    const alphaP = -ALPHA * SCALE;
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * rate;
    const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), rate), 'float32');
    // a·(x·keep + α'·(1 − keep)) + b = x·(a·keep) + (a·α'·(1 − keep) + b)
    return tf.add(tf.mul(x, tf.mul(keep, a)), tf.add(tf.mul(tf.sub(1, keep), a * alphaP), b));
  }
}
