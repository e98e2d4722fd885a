import * as tf from '@tensorflow/tfjs-core';
import {RateNoise, type RateNoiseConfig, type RateNoiseLayer, type RateNoiseOptions} from './rate-noise';

/** Options of {@link gaussianDropout}. */
export type GaussianDropoutOptions = RateNoiseOptions & {
  /** Drop probability in [0, 1); the noise has variance `rate / (1 - rate)`. Required (Keras `rate`). */
  readonly rate: number;
};

/** The JSON config in a Gaussian dropout layer's spec (`trellis/gaussianDropout`). */
export type GaussianDropoutConfig = RateNoiseConfig;

/** A Gaussian dropout layer: the {@link Layer} contract plus its options. */
export type GaussianDropoutLayer = RateNoiseLayer<GaussianDropoutConfig>;

/**
 * Multiplicative one-centred Gaussian noise (Keras `GaussianDropout`): in
 * training `x · N(1, rate / (1 − rate))` drawn per element; identity outside
 * training and for `rate: 0`. No weights; output shape = input shape, float32
 * in training.
 *
 * Seeded like {@link dropout}. `call` returns a new tensor owned by the
 * caller and disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError if `rate` is not in [0, 1) or `seed` is invalid.
 */
export function gaussianDropout(options: GaussianDropoutOptions): GaussianDropoutLayer {
  return new GaussianDropout('gaussianDropout', options);
}

class GaussianDropout extends RateNoise implements GaussianDropoutLayer {
  protected noise(x: tf.Tensor, seed: number): tf.Tensor {
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return tf.mul(x, tf.randomNormal(x.shape, 1, stddev, 'float32', seed));
  }
}
