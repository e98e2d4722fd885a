import type * as tf from '@tensorflow/tfjs-core';
import {ShapeError, type Shape} from '@trellis/core';
import {formatShape} from './common';
import {dropWithMask} from './drop-mask';
import {RateNoise, type RateNoiseConfig, type RateNoiseLayer, type RateNoiseOptions} from './rate-noise';

/** Options of {@link spatialDropout1d}. */
export type SpatialDropout1dOptions = RateNoiseOptions & {
  /** Fraction of channels to drop, in [0, 1). Required (Keras `rate`). */
  readonly rate: number;
};

/** The JSON config in a spatial dropout 1D layer's spec (`trellis/spatialDropout1d`). */
export type SpatialDropout1dConfig = RateNoiseConfig;

/** A spatial dropout 1D layer: the {@link Layer} contract plus its options. */
export type SpatialDropout1dLayer = RateNoiseLayer<SpatialDropout1dConfig>;

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
  return new SpatialDropout1d('spatialDropout1d', options);
}

class SpatialDropout1d extends RateNoise implements SpatialDropout1dLayer {
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
