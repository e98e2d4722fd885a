import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, describe, type Spec} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import {TRAINING_NOISE_KEYS, TrainingNoise, type TrainingNoiseOptions} from './training-noise';
import type {BaseLayerConfig} from './elementwise-layer';
import {type SymbolicLayer} from './symbolic-layer';

/** Options of {@link gaussianNoise}. */
export type GaussianNoiseOptions = TrainingNoiseOptions & {
  /** Standard deviation of the noise, in [0, 1] as Keras requires. Required (Keras `stddev`). */
  readonly stddev: number;
};

/** The names of {@link GaussianNoiseOptions}: what {@link gaussianNoise} accepts. */
const GAUSSIAN_NOISE_KEYS = reuseKeys<GaussianNoiseOptions>()(['stddev', ...TRAINING_NOISE_KEYS]);

/** The JSON config in a Gaussian noise layer's spec (`trellis/gaussianNoise`). */
export type GaussianNoiseConfig = BaseLayerConfig & {
  readonly stddev: number;
  readonly seed: number | null;
};

/** A Gaussian noise layer: the {@link Layer} contract plus its options. */
export interface GaussianNoiseLayer extends SymbolicLayer<GaussianNoiseConfig> {
  readonly stddev: number;
  readonly seed: number | null;
}

/**
 * Additive zero-centred Gaussian noise (Keras `GaussianNoise`): in training
 * `x + N(0, stddev²)` drawn per element; identity outside training and for
 * `stddev: 0`. No weights; output shape = input shape, float32 in training.
 *
 * Seeded like {@link dropout}: the layer's `seed` stream, else
 * `context.nextSeed()`, one seed per training call. `call` returns a new
 * tensor owned by the caller and disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError if `stddev` is not in [0, 1] or `seed` is invalid.
 */
export function gaussianNoise(options: GaussianNoiseOptions): GaussianNoiseLayer {
  return new GaussianNoise(knownOptions('gaussianNoise', options, GAUSSIAN_NOISE_KEYS));
}

class GaussianNoise extends TrainingNoise<GaussianNoiseConfig> implements GaussianNoiseLayer {
  readonly stddev: number;

  constructor(options: GaussianNoiseOptions) {
    const {stddev} = options;
    if (typeof stddev !== 'number' || !(stddev >= 0 && stddev <= 1)) {
      throw new ConfigError(`gaussianNoise: stddev must be a number in [0, 1] (as in Keras); got ${describe(stddev)}.`);
    }
    super('gaussianNoise', options);
    this.stddev = stddev;
  }

  get spec(): Spec<GaussianNoiseConfig> {
    return {id: 'trellis/gaussianNoise', config: {...this.commonConfig(), stddev: this.stddev}};
  }

  protected get active(): boolean {
    return this.stddev > 0;
  }

  protected noise(x: tf.Tensor, seed: number): tf.Tensor {
    return tf.add(x, tf.randomNormal(x.shape, 0, this.stddev, 'float32', seed));
  }
}
