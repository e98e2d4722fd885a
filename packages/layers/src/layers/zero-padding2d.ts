import * as tf from '@tensorflow/tfjs-core';
import {type CallContext, type Shape, type Spec, optionKeys} from '@trellis/core';
import {knownOptions} from '../option-keys';
import {checkBuildShape, layerLabel} from './common';
import {copyPairs, resolveBorder2d, type Border2d} from './border-2d';
import {checkChannels, checkSpatialRank, type AxisPairs, type DataFormat} from './conv-common';
import type {SymbolicLayer} from './symbolic-layer';
import {WeightlessLayerBase} from './weightless-layer';

/** Options of {@link zeroPadding2d} (Keras `ZeroPadding2D`). */
export type ZeroPadding2dOptions = {
  /**
   * Rows and columns of zeros: `n` (every side), `[rows, columns]` (symmetric), or
   * `[[top, bottom], [left, right]]`. Default 1.
   */
  readonly padding?: Border2d;
  readonly dataFormat?: DataFormat;
  /** Input shape without the batch dimension, `[height, width, channels]`. */
  readonly inputShape?: Shape;
  readonly name?: string;
};

/** The names of {@link ZeroPadding2dOptions}: what {@link zeroPadding2d} accepts. */
const ZERO_PADDING_2D_KEYS = optionKeys<ZeroPadding2dOptions>({padding: true, dataFormat: true, inputShape: true, name: true});

/** The JSON config in a zeroPadding2d layer's spec (`trellis/zeroPadding2d`). */
export type ZeroPadding2dConfig = {
  readonly name: string;
  /** `[[top, bottom], [left, right]]`. */
  readonly padding: AxisPairs;
  readonly dataFormat: DataFormat;
  readonly inputShape?: readonly number[];
};

/** A zeroPadding2d layer with its resolved padding. */
export interface ZeroPadding2dLayer extends SymbolicLayer<ZeroPadding2dConfig> {
  /** `[[top, bottom], [left, right]]`. */
  readonly padding: AxisPairs;
  readonly dataFormat: DataFormat;
}

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

class ZeroPadding2d extends WeightlessLayerBase implements ZeroPadding2dLayer {
  name: string;
  readonly inputShape?: Shape;
  readonly padding: AxisPairs;
  readonly dataFormat: DataFormat;

  constructor(options: ZeroPadding2dOptions) {
    super();
    const resolved = resolveBorder2d('zeroPadding2d', 'padding', options.padding ?? 1, options);
    this.padding = resolved.pairs;
    this.dataFormat = resolved.dataFormat;
    this.name = resolved.name;
    if (resolved.inputShape) this.inputShape = resolved.inputShape;
  }

  get spec(): Spec<ZeroPadding2dConfig> {
    return {
      id: 'trellis/zeroPadding2d',
      config: {
        name: this.name,
        padding: copyPairs(this.padding),
        dataFormat: this.dataFormat,
        ...(this.inputShape ? {inputShape: [...this.inputShape]} : {}),
      },
    };
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = layerLabel('zeroPadding2d', this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    checkSpatialRank(label, inputShape, 2);
    const [[top, bottom], [left, right]] = this.padding as [[number, number], [number, number]];
    return [inputShape[0]! + top + bottom, inputShape[1]! + left + right, inputShape[2]!];
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    const label = layerLabel('zeroPadding2d', this.name);
    this.checkBuilt(label, input.shape, checkChannels);
    return tf.pad(input, [[0, 0], ...copyPairs(this.padding), [0, 0]]);
  }
}
