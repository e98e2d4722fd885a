import type * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, describe, type Shape, type Spec} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import {formatShape} from './common';
import {dropWithMask, dropoutRate} from './drop-mask';
import {TRAINING_NOISE_KEYS, TrainingNoise, type TrainingNoiseOptions} from './training-noise';
import type {BaseLayerConfig} from './elementwise-layer';
import {type SymbolicLayer} from './symbolic-layer';

/** Options of {@link spatialDropout2d}. */
export type SpatialDropout2dOptions = TrainingNoiseOptions & {
  /** Fraction of channels to drop, in [0, 1). Required (Keras `rate`). */
  readonly rate: number;
  /**
   * Where the channels are: `'channelsLast'` (default, `[batch, height,
   * width, channels]`) or `'channelsFirst'` (`[batch, channels, height,
   * width]`) (Keras `data_format`).
   */
  readonly dataFormat?: 'channelsLast' | 'channelsFirst';
};

/** The names of {@link SpatialDropout2dOptions}: what {@link spatialDropout2d} accepts. */
const SPATIAL_DROPOUT_2D_KEYS = reuseKeys<SpatialDropout2dOptions>()(['rate', 'dataFormat', ...TRAINING_NOISE_KEYS]);

/** The JSON config in a spatial dropout 2D layer's spec (`trellis/spatialDropout2d`). */
export type SpatialDropout2dConfig = BaseLayerConfig & {
  readonly rate: number;
  readonly dataFormat: 'channelsLast' | 'channelsFirst';
  readonly seed: number | null;
};

/** A spatial dropout 2D layer: the {@link Layer} contract plus its options. */
export interface SpatialDropout2dLayer extends SymbolicLayer<SpatialDropout2dConfig> {
  readonly rate: number;
  readonly dataFormat: 'channelsLast' | 'channelsFirst';
  readonly seed: number | null;
}

/**
 * Dropout of whole feature maps (Keras `SpatialDropout2D`): in training each
 * channel of each sample is zeroed over all positions with probability
 * `rate`, the kept ones scaled by `1 / (1 - rate)` (a mask of shape
 * `[batch, 1, 1, channels]`, or `[batch, channels, 1, 1]` for
 * `'channelsFirst'`). Identity outside training. No weights.
 *
 * Shapes: rank-4 input → the same, float32 in training. Seeded like
 * {@link dropout}. `call` returns a new tensor owned by the caller and
 * disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError if `rate` is not in [0, 1), or `dataFormat`/`seed` are invalid.
 */
export function spatialDropout2d(options: SpatialDropout2dOptions): SpatialDropout2dLayer {
  return new SpatialDropout2d(knownOptions('spatialDropout2d', options, SPATIAL_DROPOUT_2D_KEYS));
}

class SpatialDropout2d extends TrainingNoise<SpatialDropout2dConfig> implements SpatialDropout2dLayer {
  readonly rate: number;
  readonly dataFormat: 'channelsLast' | 'channelsFirst';

  constructor(options: SpatialDropout2dOptions) {
    const rate = dropoutRate('spatialDropout2d', options);
    const dataFormat = options.dataFormat ?? 'channelsLast';
    if (dataFormat !== 'channelsLast' && dataFormat !== 'channelsFirst') {
      throw new ConfigError(`spatialDropout2d: dataFormat must be 'channelsLast' or 'channelsFirst'; got ${describe(dataFormat)}.`);
    }
    super('spatialDropout2d', options);
    this.rate = rate;
    this.dataFormat = dataFormat;
  }

  get spec(): Spec<SpatialDropout2dConfig> {
    return {id: 'trellis/spatialDropout2d', config: {...this.commonConfig(), rate: this.rate, dataFormat: this.dataFormat}};
  }

  protected get active(): boolean {
    return this.rate > 0;
  }

  protected override checkShape(label: string, inputShape: Shape): void {
    if (inputShape.length !== 3) {
      const expected = this.dataFormat === 'channelsLast' ? '[height, width, channels]' : '[channels, height, width]';
      throw new ShapeError(`${label} expects images with input shape ${expected}; got input shape ${formatShape(inputShape)}.`);
    }
  }

  protected noise(x: tf.Tensor, seed: number): tf.Tensor {
    const [batch, a, , c] = x.shape as number[];
    const maskShape = this.dataFormat === 'channelsLast' ? [batch!, 1, 1, c!] : [batch!, a!, 1, 1];
    return dropWithMask(x, this.rate, maskShape, seed);
  }
}
