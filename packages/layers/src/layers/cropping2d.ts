import * as tf from '@tensorflow/tfjs-core';
import {ShapeError, type CallContext, type Shape} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import {formatShape} from './common';
import {
  BORDER_2D_LAYER_KEYS,
  Border2dLayer,
  type Border2d,
  type Border2dConfig,
  type Border2dLayerOf,
  type Border2dLayerOptions,
} from './border-2d';
import {checkChannels, type AxisPairs} from './conv-common';

/** Options of {@link cropping2d} (Keras `Cropping2D`). */
export type Cropping2dOptions = Border2dLayerOptions & {
  /**
   * Rows and columns to remove: `n` (every side), `[rows, columns]` (symmetric), or
   * `[[top, bottom], [left, right]]`. Default 0.
   */
  readonly cropping?: Border2d;
};

/** The names of {@link Cropping2dOptions}: what {@link cropping2d} accepts. */
const CROPPING_2D_KEYS = reuseKeys<Cropping2dOptions>()(['cropping', ...BORDER_2D_LAYER_KEYS]);

/** The JSON config in a cropping2d layer's spec (`trellis/cropping2d`); `cropping` is `[[top, bottom], [left, right]]`. */
export type Cropping2dConfig = Border2dConfig<'cropping'>;

/** A cropping2d layer with its resolved cropping, `[[top, bottom], [left, right]]`. */
export type Cropping2dLayer = Border2dLayerOf<Cropping2dConfig, 'cropping'>;

/**
 * Removes rows and columns at the borders of each image (Keras `Cropping2D`,
 * `channels_last` only): `[batch, h, w, c]` → `[batch, h - top - bottom, w - left - right, c]`.
 * No weights. `call` returns a new tensor owned by the caller and disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options or `dataFormat: 'channelsFirst'`.
 * @throws ShapeError from `build` for an input that is not `[h, w, c]` or that the cropping
 *   would leave empty; from `call` for an input of another shape than the built one.
 */
export function cropping2d(options: Cropping2dOptions = {}): Cropping2dLayer {
  return new Cropping2d(knownOptions('cropping2d', options, CROPPING_2D_KEYS));
}

class Cropping2d extends Border2dLayer<Cropping2dConfig> implements Cropping2dLayer {
  readonly cropping: AxisPairs;

  constructor(options: Cropping2dOptions) {
    super('cropping2d', 'cropping', 0, options);
    this.cropping = this.pairs;
  }

  protected outputShape(inputShape: Shape): Shape {
    const output = [...this.cropping.map(([before, after], i) => inputShape[i]! - before - after), inputShape[2]!];
    if (output[0]! <= 0 || output[1]! <= 0) {
      throw new ShapeError(
        `${this.label}: cropping ${JSON.stringify(this.cropping)} leaves nothing of input shape ${formatShape(inputShape)} ` +
          `(output ${formatShape(output)}). Crop less or use a larger input.`,
      );
    }
    return output;
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    const {output} = this.checkBuilt(this.label, input.shape, checkChannels);
    const [[top], [left]] = this.cropping as [[number, number], [number, number]];
    return tf.slice(input, [0, top, left, 0], [input.shape[0]!, output[0]!, output[1]!, output[2]!]);
  }
}
