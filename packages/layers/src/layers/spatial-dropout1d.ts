import type * as tf from '@tensorflow/tfjs-core';
import {ShapeError, type Shape, type Spec} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import {formatShape} from './common';
import {dropWithMask, dropoutRate} from './drop-mask';
import {TRAINING_NOISE_KEYS, TrainingNoise, type TrainingNoiseOptions} from './training-noise';
import {type SymbolicLayer} from './symbolic-layer';

/** Options of {@link spatialDropout1d}. */
export type SpatialDropout1dOptions = TrainingNoiseOptions & {
  /** Fraction of channels to drop, in [0, 1). Required (Keras `rate`). */
  readonly rate: number;
};

/** The names of {@link SpatialDropout1dOptions}: what {@link spatialDropout1d} accepts. */
const SPATIAL_DROPOUT_1D_KEYS = reuseKeys<SpatialDropout1dOptions>()(['rate', ...TRAINING_NOISE_KEYS]);

/** The JSON config in a spatial dropout 1D layer's spec (`trellis/spatialDropout1d`). */
export type SpatialDropout1dConfig = {
  readonly name: string;
  readonly rate: number;
  readonly seed: number | null;
  readonly inputShape?: readonly number[];
};

/** A spatial dropout 1D layer: the {@link Layer} contract plus its options. */
export interface SpatialDropout1dLayer extends SymbolicLayer<SpatialDropout1dConfig> {
  readonly rate: number;
  readonly seed: number | null;
}

/**
 * Dropout of whole channels of a sequence (Keras `SpatialDropout1D`): in
 * training each channel of each sample is zeroed at every step with
 * probability `rate`, the kept ones scaled by `1 / (1 - rate)` (a mask of
 * shape `[batch, 1, channels]`). Identity outside training. No weights.
 *
 * Shapes: `[batch, steps, channels]` → the same, float32 in training.
 * Seeded like {@link dropout}: the layer's `seed` stream, else
 * `context.nextSeed()`, one seed per training call. `call` returns a new
 * tensor owned by the caller and disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError if `rate` is not in [0, 1) or `seed` is invalid.
 */
export function spatialDropout1d(options: SpatialDropout1dOptions): SpatialDropout1dLayer {
  return new SpatialDropout1d(knownOptions('spatialDropout1d', options, SPATIAL_DROPOUT_1D_KEYS));
}

class SpatialDropout1d extends TrainingNoise<SpatialDropout1dConfig> implements SpatialDropout1dLayer {
  readonly rate: number;

  constructor(options: SpatialDropout1dOptions) {
    const rate = dropoutRate('spatialDropout1d', options);
    super('spatialDropout1d', options);
    this.rate = rate;
  }

  get spec(): Spec<SpatialDropout1dConfig> {
    return {id: 'trellis/spatialDropout1d', config: {...this.commonConfig(), rate: this.rate}};
  }

  protected get active(): boolean {
    return this.rate > 0;
  }

  protected override checkShape(label: string, inputShape: Shape): void {
    if (inputShape.length !== 2) {
      throw new ShapeError(
        `${label} expects sequences [batch, steps, channels] (input shape [steps, channels]); got input shape ` +
          `${formatShape(inputShape)}.`,
      );
    }
  }

  protected noise(x: tf.Tensor, seed: number): tf.Tensor {
    return dropWithMask(x, this.rate, [x.shape[0]!, 1, x.shape[2]!], seed);
  }
}
