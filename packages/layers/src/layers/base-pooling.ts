/**
 * The window pooling shared by `maxPooling1d/2d` and `averagePooling1d/2d`
 * (Keras `BasePooling`), internal.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {type CallContext, type Shape, type Spec} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import {BASE_LAYER_KEYS, type BaseLayerConfig} from './elementwise-layer';
import {layerSpec} from './layer-spec';
import {
  asFloat32,
  checkDataFormat,
  checkPadding,
  checkTuple,
  samePadding,
  windowOutputShape,
  type DataFormat,
  type Padding,
} from './conv-common';
import type {SymbolicLayer} from './symbolic-layer';
import {PoolingLayerBase, type PoolingMode} from './pooling-layer';

/** Options of a pooling layer over `rank` spatial axes. */
export type BasePoolingOptions = {
  /** Window size: one integer for every axis, or one per axis. Default 2. */
  readonly poolSize?: number | readonly number[];
  /** Default `poolSize` (Keras `strides=None`). */
  readonly strides?: number | readonly number[] | null;
  /** Default `'valid'`. */
  readonly padding?: Padding;
  readonly dataFormat?: DataFormat;
  readonly inputShape?: Shape;
  readonly name?: string;
};

/** Options of a 1-D pooling layer (`averagePooling1d`, `maxPooling1d`). */
export type Pooling1dOptions = BasePoolingOptions & {
  /** Window [length], or one integer for every axis. Default 2. */
  readonly poolSize?: number | readonly [number];
  /** Step between windows; default `poolSize` (Keras `strides=None`). */
  readonly strides?: number | readonly [number] | null;
  /** Input shape without the batch dimension, for the first layer of a model. */
  readonly inputShape?: Shape;
};

/** Options of a 2-D pooling layer (`averagePooling2d`, `maxPooling2d`). */
export type Pooling2dOptions = BasePoolingOptions & {
  /** Window [height, width], or one integer for every axis. Default 2. */
  readonly poolSize?: number | readonly [number, number];
  /** Step between windows; default `poolSize` (Keras `strides=None`). */
  readonly strides?: number | readonly [number, number] | null;
  /** Input shape without the batch dimension, for the first layer of a model. */
  readonly inputShape?: Shape;
};

/** The names of {@link BasePoolingOptions}: what the pooling layers accept. */
const BASE_POOLING_KEYS = reuseKeys<BasePoolingOptions>()(['poolSize', 'strides', 'padding', 'dataFormat', ...BASE_LAYER_KEYS]);

/** The JSON config of a pooling layer's spec. */
export type BasePoolingConfig = BaseLayerConfig & {
  readonly poolSize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: Padding;
  readonly dataFormat: DataFormat;
};

/** A pooling layer: the {@link Layer} contract plus its resolved options. */
export interface BasePoolingLayer extends SymbolicLayer<BasePoolingConfig> {
  readonly poolSize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: Padding;
  readonly dataFormat: DataFormat;
}

/**
 * The pooling layer `kind` over `rank` spatial axes taking the `mode` of each
 * window, its options checked first.
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one), or an invalid one.
 */
export function poolingLayer(kind: string, rank: 1 | 2, mode: PoolingMode, options: BasePoolingOptions): BasePoolingLayer {
  return new BasePooling(kind, rank, mode, knownOptions(kind, options, BASE_POOLING_KEYS));
}

/** Max or average pooling over 1 or 2 spatial axes, channels last. */
class BasePooling extends PoolingLayerBase implements BasePoolingLayer {
  readonly poolSize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: Padding;
  readonly dataFormat: DataFormat;

  constructor(kind: string, rank: 1 | 2, mode: PoolingMode, options: BasePoolingOptions) {
    super(kind, rank, mode);
    this.poolSize = checkTuple(kind, 'poolSize', options.poolSize ?? 2, rank);
    this.strides =
      options.strides === undefined || options.strides === null ? this.poolSize : checkTuple(kind, 'strides', options.strides, rank);
    this.padding = checkPadding(kind, options.padding);
    this.dataFormat = checkDataFormat(kind, options.dataFormat);
    this.setIdentity(kind, options);
  }

  get spec(): Spec<BasePoolingConfig> {
    return layerSpec(`trellis/${this.kind}`, this, {
      poolSize: [...this.poolSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
    });
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = this.checkSpatialInput(inputShape);
    const ones = this.poolSize.map(() => 1);
    const spatial = windowOutputShape(label, inputShape, this.poolSize, this.strides, this.padding, ones, 'pool window');
    return [...spatial, inputShape[this.rank]!];
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    this.checkCallInput(input);
    return tf.tidy(() => {
      const x = asFloat32(input);
      // A 1-D window is a 2-D one of height 1.
      const x4 = (this.rank === 2 ? x : tf.expandDims(x, 1)) as tf.Tensor4D;
      const poolSize = (this.rank === 2 ? this.poolSize : [1, this.poolSize[0]!]) as [number, number];
      const strides = (this.rank === 2 ? this.strides : [1, this.strides[0]!]) as [number, number];
      const y =
        this.mode === 'max'
          ? tf.maxPool(x4, poolSize, strides, this.padding)
          : this.padding === 'same'
            ? averagePoolSame(x4, poolSize, strides)
            : tf.avgPool(x4, poolSize, strides, 'valid');
      return this.rank === 2 ? y : tf.squeeze(y, [1]);
    });
  }
}

/**
 * Average pooling with `'same'` padding: the mean of the input values each
 * window covers (padding is not counted). tfjs-core's `avgPool` computes this
 * forward, but its gradient divides by the full window size at the border;
 * here the input is zero-padded explicitly, pooled with `'valid'` windows and
 * rescaled by `window / count`, which is differentiable exactly.
 */
function averagePoolSame(x: tf.Tensor4D, poolSize: [number, number], strides: [number, number]): tf.Tensor4D {
  const [, height, width] = x.shape;
  const rows = samePadding(height, poolSize[0], strides[0]);
  const columns = samePadding(width, poolSize[1], strides[1]);
  if (rows[0] + rows[1] + columns[0] + columns[1] === 0) return tf.avgPool(x, poolSize, strides, 'valid');
  const padded = tf.pad(x, [[0, 0], rows, columns, [0, 0]]);
  const sums = tf.avgPool(padded, poolSize, strides, 'valid');
  const [, outHeight, outWidth] = sums.shape;
  const covered = (out: number, n: number, window: number, stride: number, before: number) => {
    const start = out * stride - before;
    return Math.min(start + window, n) - Math.max(start, 0);
  };
  const scale = new Float32Array(outHeight * outWidth);
  for (let i = 0; i < outHeight; i++) {
    for (let j = 0; j < outWidth; j++) {
      const count = covered(i, height, poolSize[0], strides[0], rows[0]) * covered(j, width, poolSize[1], strides[1], columns[0]);
      scale[i * outWidth + j] = (poolSize[0] * poolSize[1]) / count;
    }
  }
  return tf.mul(sums, tf.tensor4d(scale, [1, outHeight, outWidth, 1]));
}
