import * as tf from '@tensorflow/tfjs-core';
import {type Spec} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import {dropoutRate} from './drop-mask';
import {TRAINING_NOISE_KEYS, TrainingNoise, type TrainingNoiseOptions} from './training-noise';
import {type SymbolicLayer} from './symbolic-layer';

/** Options of {@link gaussianDropout}. */
export type GaussianDropoutOptions = TrainingNoiseOptions & {
  /** Drop probability in [0, 1); the noise has variance `rate / (1 - rate)`. Required (Keras `rate`). */
  readonly rate: number;
};

/** The names of {@link GaussianDropoutOptions}: what {@link gaussianDropout} accepts. */
const GAUSSIAN_DROPOUT_KEYS = reuseKeys<GaussianDropoutOptions>()(['rate', ...TRAINING_NOISE_KEYS]);

/** The JSON config in a Gaussian dropout layer's spec (`trellis/gaussianDropout`). */
export type GaussianDropoutConfig = {
  readonly name: string;
  readonly rate: number;
  readonly seed: number | null;
  readonly inputShape?: readonly number[];
};

/** A Gaussian dropout layer: the {@link Layer} contract plus its options. */
export interface GaussianDropoutLayer extends SymbolicLayer<GaussianDropoutConfig> {
  readonly rate: number;
  readonly seed: number | null;
}

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
  return new GaussianDropout(knownOptions('gaussianDropout', options, GAUSSIAN_DROPOUT_KEYS));
}

class GaussianDropout extends TrainingNoise<GaussianDropoutConfig> implements GaussianDropoutLayer {
  readonly rate: number;

  constructor(options: GaussianDropoutOptions) {
    const rate = dropoutRate('gaussianDropout', options);
    super('gaussianDropout', options);
    this.rate = rate;
  }

  get spec(): Spec<GaussianDropoutConfig> {
    return {id: 'trellis/gaussianDropout', config: {...this.commonConfig(), rate: this.rate}};
  }

  protected get active(): boolean {
    return this.rate > 0;
  }

  protected noise(x: tf.Tensor, seed: number): tf.Tensor {
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return tf.mul(x, tf.randomNormal(x.shape, 1, stddev, 'float32', seed));
  }
}
