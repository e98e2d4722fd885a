import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, describe, type CallContext, type Shape, type Spec} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import {BASE_LAYER_KEYS, type BaseLayerConfig} from './elementwise-layer';
import {checkBuildShape, layerLabel} from './common';
import {layerSpec} from './layer-spec';
import {asFloat32, checkChannels, checkDataFormat, checkSpatialRank, checkTuple, type DataFormat} from './conv-common';
import type {SymbolicLayer} from './symbolic-layer';
import {WeightlessLayerBase} from './weightless-layer';

/** How {@link upSampling2d} fills the new pixels. */
export type UpSamplingInterpolation = 'nearest' | 'bilinear';

/** Options of {@link upSampling2d} (Keras `UpSampling2D`). */
export type UpSampling2dOptions = {
  /** Factors `[rows, columns]`, or one integer for both. Default 2. */
  readonly size?: number | readonly [number, number];
  /** Default `'nearest'` (repeat each pixel); `'bilinear'` interpolates. */
  readonly interpolation?: UpSamplingInterpolation;
  readonly dataFormat?: DataFormat;
  /** Input shape without the batch dimension, `[height, width, channels]`. */
  readonly inputShape?: Shape;
  readonly name?: string;
};

/** The names of {@link UpSampling2dOptions}: what {@link upSampling2d} accepts. */
const UP_SAMPLING_2D_KEYS = reuseKeys<UpSampling2dOptions>()(['size', 'interpolation', 'dataFormat', ...BASE_LAYER_KEYS]);

/** The JSON config in an upSampling2d layer's spec (`trellis/upSampling2d`). */
export type UpSampling2dConfig = BaseLayerConfig & {
  readonly size: readonly number[];
  readonly interpolation: UpSamplingInterpolation;
  readonly dataFormat: DataFormat;
};

/** An upSampling2d layer with its resolved options. */
export interface UpSampling2dLayer extends SymbolicLayer<UpSampling2dConfig> {
  /** `[rows, columns]`. */
  readonly size: readonly number[];
  readonly interpolation: UpSamplingInterpolation;
  readonly dataFormat: DataFormat;
}

/**
 * Enlarges each image by integer factors (Keras `UpSampling2D`, `channels_last` only):
 * `[batch, h, w, c]` → `[batch, h·size[0], w·size[1], c]`. No weights.
 *
 * `'nearest'` repeats each row `size[0]` times and each column `size[1]` times (Keras'
 * `ops.repeat`). `'bilinear'` interpolates with half-pixel centers, clamped at the edges,
 * as Keras' `ops.image.resize(..., interpolation="bilinear")` does; it runs as two matrix
 * products rather than `tf.image.resizeBilinear`, whose tfjs-core gradient is wrong for
 * half-pixel centers and non-square images. Keras' `bicubic` and `lanczos` modes are not
 * supported.
 *
 * Non-float32 inputs are cast to float32. `call` returns a new tensor owned by the
 * caller, disposes nothing and runs in its own `tf.tidy`.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options or `dataFormat: 'channelsFirst'`.
 * @throws ShapeError from `build` for an input that is not `[h, w, c]`; from `call` for an
 *   input of another shape than the built one.
 */
export function upSampling2d(options: UpSampling2dOptions = {}): UpSampling2dLayer {
  return new UpSampling2d(knownOptions('upSampling2d', options, UP_SAMPLING_2D_KEYS));
}

class UpSampling2d extends WeightlessLayerBase implements UpSampling2dLayer {
  readonly size: readonly number[];
  readonly interpolation: UpSamplingInterpolation;
  readonly dataFormat: DataFormat;

  constructor(options: UpSampling2dOptions) {
    super();
    this.size = checkTuple('upSampling2d', 'size', options.size ?? 2, 2);
    const interpolation = options.interpolation ?? 'nearest';
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
      throw new ConfigError(
        `upSampling2d: interpolation must be 'nearest' or 'bilinear' (Keras' bicubic and lanczos modes are not ` +
          `supported); got ${describe(interpolation)}.`,
      );
    }
    this.interpolation = interpolation;
    this.dataFormat = checkDataFormat('upSampling2d', options.dataFormat);
    this.setIdentity('upSampling2d', options);
  }

  get spec(): Spec<UpSampling2dConfig> {
    return layerSpec('trellis/upSampling2d', this, {
      size: [...this.size],
      interpolation: this.interpolation,
      dataFormat: this.dataFormat,
    });
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = layerLabel('upSampling2d', this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    checkSpatialRank(label, inputShape, 2);
    return [inputShape[0]! * this.size[0]!, inputShape[1]! * this.size[1]!, inputShape[2]!];
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    const label = layerLabel('upSampling2d', this.name);
    this.checkBuilt(label, input.shape, checkChannels);
    const [batch, height, width, channels] = input.shape as [number, number, number, number];
    const [rows, columns] = this.size as [number, number];
    return tf.tidy(() => {
      const x = asFloat32(input);
      if (this.interpolation === 'bilinear') {
        // Separable: interpolate the rows, then the columns, each as one matrix product.
        const byRows = alongAxis(x, 1, interpolationMatrix(height, rows));
        return alongAxis(byRows, 2, interpolationMatrix(width, columns));
      }
      // Repeat each row, then each column (rank-3 tiles, whose gradient every backend has).
      const tiledRows = tf.tile(tf.reshape(x, [batch * height, 1, width * channels]), [1, rows, 1]);
      const rowsDone = tf.reshape(tiledRows, [batch * height * rows * width, 1, channels]);
      return tf.reshape(tf.tile(rowsDone, [1, columns, 1]), [batch, height * rows, width * columns, channels]);
    });
  }
}

/**
 * The `[n·factor, n]` matrix of bilinear interpolation with half-pixel centers
 * (TensorFlow's `half_pixel_centers=True`, JAX's `image.resize`): output `o`
 * samples input position `(o + 0.5) / factor - 0.5`, clamped to the edges.
 */
function interpolationMatrix(n: number, factor: number): tf.Tensor2D {
  const weights = new Float32Array(n * factor * n);
  for (let o = 0; o < n * factor; o++) {
    const position = Math.min(Math.max((o + 0.5) / factor - 0.5, 0), n - 1);
    const lower = Math.floor(position);
    const upper = Math.min(lower + 1, n - 1);
    const fraction = position - lower;
    weights[o * n + lower]! += 1 - fraction;
    weights[o * n + upper]! += fraction;
  }
  return tf.tensor2d(weights, [n * factor, n]);
}

/** Multiplies axis `axis` (1 or 2) of a `[batch, h, w, c]` tensor by `matrix` `[m, n]`. */
function alongAxis(x: tf.Tensor, axis: 1 | 2, matrix: tf.Tensor2D): tf.Tensor {
  const order = axis === 1 ? [1, 0, 2, 3] : [2, 0, 1, 3];
  const inverse = axis === 1 ? [1, 0, 2, 3] : [1, 2, 0, 3];
  const moved = tf.transpose(x, order);
  const [n, ...rest] = moved.shape;
  const product = tf.matMul(matrix, tf.reshape(moved, [n!, rest.reduce((a, b) => a * b, 1)]));
  return tf.transpose(tf.reshape(product, [matrix.shape[0], ...rest]), inverse);
}
