import * as tf from '@tensorflow/tfjs-core';
import {type CallContext, type Shape} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import {
  BORDER_2D_LAYER_KEYS,
  Border2dLayer,
  copyPairs,
  type Border2d,
  type Border2dConfig,
  type Border2dLayerOf,
  type Border2dLayerOptions,
} from './border-2d';
import {checkChannels, type AxisPairs} from './conv-common';

/** Options of {@link zeroPadding2d} (Keras `ZeroPadding2D`). */
export type ZeroPadding2dOptions = Border2dLayerOptions & {
  /**
   * Rows and columns of zeros: `n` (every side), `[rows, columns]` (symmetric), or
   * `[[top, bottom], [left, right]]`. Default 1.
   */
  readonly padding?: Border2d;
};

/** The names of {@link ZeroPadding2dOptions}: what {@link zeroPadding2d} accepts. */
const ZERO_PADDING_2D_KEYS = reuseKeys<ZeroPadding2dOptions>()(['padding', ...BORDER_2D_LAYER_KEYS]);

/** The JSON config in a zeroPadding2d layer's spec (`trellis/zeroPadding2d`); `padding` is `[[top, bottom], [left, right]]`. */
export type ZeroPadding2dConfig = Border2dConfig<'padding'>;

/** A zeroPadding2d layer with its resolved padding, `[[top, bottom], [left, right]]`. */
export type ZeroPadding2dLayer = Border2dLayerOf<ZeroPadding2dConfig, 'padding'>;

/**
 * Adds rows and columns of zeros around each image (Keras `ZeroPadding2D`,
 * `channels_last` only): `[batch, h, w, c]` → `[batch, top + h + bottom, left + w + right, c]`.
 * No weights. Non-float32 inputs keep their dtype. `call` returns a new tensor owned by
 * the caller and disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options or `dataFormat: 'channelsFirst'`.
 * @throws ShapeError from `build` for an input that is not `[h, w, c]`; from `call` for an
 *   input of another shape than the built one.
 */
export function zeroPadding2d(options: ZeroPadding2dOptions = {}): ZeroPadding2dLayer {
  return new ZeroPadding2d(knownOptions('zeroPadding2d', options, ZERO_PADDING_2D_KEYS));
}

class ZeroPadding2d extends Border2dLayer<ZeroPadding2dConfig> implements ZeroPadding2dLayer {
  readonly padding: AxisPairs;

  constructor(options: ZeroPadding2dOptions) {
    super('zeroPadding2d', 'padding', 1, options);
    this.padding = this.pairs;
  }

  protected outputShape(inputShape: Shape): Shape {
    const [[top, bottom], [left, right]] = this.padding as [[number, number], [number, number]];
    return [inputShape[0]! + top + bottom, inputShape[1]! + left + right, inputShape[2]!];
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    this.checkBuilt(this.label, input.shape, checkChannels);
    return tf.pad(input, [[0, 0], ...copyPairs(this.padding), [0, 0]]);
  }
}
