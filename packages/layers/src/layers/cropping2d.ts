import * as tf from '@tensorflow/tfjs-core';
import {ShapeError, type CallContext, type Shape, type Spec, optionKeys} from '@trellis/core';
import {knownOptions} from '../option-keys';
import {checkBuildShape, formatShape, layerLabel} from './common';
import {copyPairs, resolveBorder2d, type Border2d} from './border-2d';
import {checkChannels, checkSpatialRank, type AxisPairs, type DataFormat} from './conv-common';
import type {SymbolicLayer} from './symbolic-layer';
import {WeightlessLayerBase} from './weightless-layer';

/** Options of {@link cropping2d} (Keras `Cropping2D`). */
export type Cropping2dOptions = {
  /**
   * Rows and columns to remove: `n` (every side), `[rows, columns]` (symmetric), or
   * `[[top, bottom], [left, right]]`. Default 0.
   */
  readonly cropping?: Border2d;
  readonly dataFormat?: DataFormat;
  /** Input shape without the batch dimension, `[height, width, channels]`. */
  readonly inputShape?: Shape;
  readonly name?: string;
};

/** The names of {@link Cropping2dOptions}: what {@link cropping2d} accepts. */
const CROPPING_2D_KEYS = optionKeys<Cropping2dOptions>({cropping: true, dataFormat: true, inputShape: true, name: true});

/** The JSON config in a cropping2d layer's spec (`trellis/cropping2d`). */
export type Cropping2dConfig = {
  readonly name: string;
  /** `[[top, bottom], [left, right]]`. */
  readonly cropping: AxisPairs;
  readonly dataFormat: DataFormat;
  readonly inputShape?: readonly number[];
};

/** A cropping2d layer with its resolved cropping. */
export interface Cropping2dLayer extends SymbolicLayer<Cropping2dConfig> {
  /** `[[top, bottom], [left, right]]`. */
  readonly cropping: AxisPairs;
  readonly dataFormat: DataFormat;
}

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

class Cropping2d extends WeightlessLayerBase implements Cropping2dLayer {
  name: string;
  readonly inputShape?: Shape;
  readonly cropping: AxisPairs;
  readonly dataFormat: DataFormat;

  constructor(options: Cropping2dOptions) {
    super();
    const resolved = resolveBorder2d('cropping2d', 'cropping', options.cropping ?? 0, options);
    this.cropping = resolved.pairs;
    this.dataFormat = resolved.dataFormat;
    this.name = resolved.name;
    if (resolved.inputShape) this.inputShape = resolved.inputShape;
  }

  get spec(): Spec<Cropping2dConfig> {
    return {
      id: 'trellis/cropping2d',
      config: {
        name: this.name,
        cropping: copyPairs(this.cropping),
        dataFormat: this.dataFormat,
        ...(this.inputShape ? {inputShape: [...this.inputShape]} : {}),
      },
    };
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = layerLabel('cropping2d', this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    checkSpatialRank(label, inputShape, 2);
    const output = [...this.cropping.map(([before, after], i) => inputShape[i]! - before - after), inputShape[2]!];
    if (output[0]! <= 0 || output[1]! <= 0) {
      throw new ShapeError(
        `${label}: cropping ${JSON.stringify(this.cropping)} leaves nothing of input shape ${formatShape(inputShape)} ` +
          `(output ${formatShape(output)}). Crop less or use a larger input.`,
      );
    }
    return output;
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    const label = layerLabel('cropping2d', this.name);
    const {output} = this.checkBuilt(label, input.shape, checkChannels);
    const [[top], [left]] = this.cropping as [[number, number], [number, number]];
    return tf.slice(input, [0, top, left, 0], [input.shape[0]!, output[0]!, output[1]!, output[2]!]);
  }
}
