/**
 * Option checks and shape arithmetic shared by the convolution, pooling and
 * reshaping layers (internal).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, describe, type Shape} from '@trellis/core';
import {formatShape} from './common';

/** How a convolution or pooling window treats the border (Keras `padding`). */
export type Padding = 'valid' | 'same';

/** Only Keras' default layout is supported: `[batch, ...spatial, channels]`. */
export type DataFormat = 'channelsLast';

/**
 * Normalizes an integer or a tuple of `rank` integers (Keras'
 * `standardize_tuple`): `3` → `[3, 3]`. Values must be ≥ 1 (≥ 0 with `allowZero`).
 */
export function checkTuple(kind: string, option: string, value: unknown, rank: number, allowZero = false): readonly number[] {
  const min = allowZero ? 0 : 1;
  const ok = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= min;
  if (ok(value)) return Object.freeze(Array.from({length: rank}, () => value));
  if (Array.isArray(value) && value.length === rank && value.every(ok)) return Object.freeze([...(value as number[])]);
  const what = allowZero ? 'non-negative' : 'positive';
  throw new ConfigError(
    `${kind}: ${option} must be a ${what} integer or an array of ${rank} ${what} integers; got ` +
      `${Array.isArray(value) ? JSON.stringify(value) : describe(value)}.`,
  );
}

/** Validates `padding` (`'valid'` default, or `'same'`). */
export function checkPadding(kind: string, value: unknown): Padding {
  if (value === undefined) return 'valid';
  if (value !== 'valid' && value !== 'same') {
    throw new ConfigError(`${kind}: padding must be 'valid' or 'same'; got ${describe(value)}.`);
  }
  return value;
}

/**
 * Validates `dataFormat`: only `'channelsLast'` (Keras' default
 * `"channels_last"`) is supported; `'channelsFirst'` throws.
 */
export function checkDataFormat(kind: string, value: unknown): DataFormat {
  if (value === undefined || value === null || value === 'channelsLast' || value === 'channels_last') {
    return 'channelsLast';
  }
  if (value === 'channelsFirst' || value === 'channels_first') {
    throw new ConfigError(
      `${kind}: dataFormat 'channelsFirst' is not supported; only 'channelsLast' (Keras' default "channels_last", ` +
        'inputs [batch, ...spatial, channels]) is. Transpose the data with a permute layer instead.',
    );
  }
  throw new ConfigError(`${kind}: dataFormat must be 'channelsLast'; got ${describe(value)}.`);
}

/** Validates a positive integer option. */
export function checkPositiveInteger(kind: string, option: string, value: unknown, meaning: string): number {
  if (!Number.isInteger(value) || (value as number) <= 0) {
    throw new ConfigError(`${kind}: ${option} must be a positive integer (${meaning}); got ${describe(value)}.`);
  }
  return value as number;
}

/**
 * Throws ShapeError unless `inputShape` (without batch) has `rank` axes:
 * `spatialRank` spatial axes and the channels.
 */
export function checkSpatialRank(label: string, inputShape: Shape, spatialRank: number): void {
  if (inputShape.length !== spatialRank + 1) {
    const axes = spatialRank === 1 ? 'steps, channels' : spatialRank === 2 ? 'height, width, channels' : 'spatial..., channels';
    throw new ShapeError(
      `${label} expects inputs of shape [batch, ${axes}] (rank ${spatialRank + 2} with the batch); got input shape ` +
        `${formatShape(inputShape)} without the batch. Reshape the data (channels last).`,
    );
  }
}

/** The window size once dilated: `(k - 1)·d + 1`. */
export function dilatedSize(kernel: number, dilation: number): number {
  return (kernel - 1) * dilation + 1;
}

/**
 * Output length of a convolution or pooling along one axis (Keras'
 * `compute_conv_output_shape`): valid `⌊(n - k_d) / s⌋ + 1`, same `⌈n / s⌉`.
 */
export function convOutputLength(input: number, kernel: number, stride: number, padding: Padding, dilation = 1): number {
  if (padding === 'same') return Math.ceil(input / stride);
  return Math.floor((input - dilatedSize(kernel, dilation)) / stride) + 1;
}

/**
 * The spatial output shape of a window of `window` (dilated) over
 * `spatial`, throwing ShapeError when a window is larger than the input
 * with `'valid'` padding.
 */
export function windowOutputShape(
  label: string,
  inputShape: Shape,
  window: readonly number[],
  strides: readonly number[],
  padding: Padding,
  dilation: readonly number[],
  what = 'kernel',
): number[] {
  const spatial = inputShape.slice(0, window.length);
  return spatial.map((n, i) => {
    const size = dilatedSize(window[i]!, dilation[i]!);
    if (padding === 'valid' && size > n) {
      throw new ShapeError(
        `${label}: the ${what} ${formatShape(window)}${dilation.some((d) => d > 1) ? ` dilated by ${formatShape(dilation)}` : ''} ` +
          `is larger than the input ${formatShape(spatial)} (input shape ${formatShape(inputShape)}) with padding 'valid'. ` +
          "Use padding 'same', a smaller window, or a larger input.",
      );
    }
    return convOutputLength(n, window[i]!, strides[i]!, padding, dilation[i]!);
  });
}

/** Throws ShapeError unless the input's channel count is the one the layer was built for. */
export function checkChannels(label: string, inputShape: readonly number[], built: Shape): void {
  const ok = inputShape.length === built.length + 1 && built.every((d, i) => inputShape[i + 1] === d);
  if (!ok) {
    throw new ShapeError(
      `${label} expects input of shape [batch, ${built.join(', ')}] (it was built for ${formatShape(built)}); ` +
        `got ${formatShape(inputShape)}.`,
    );
  }
}

/**
 * Inserts `dilation - 1` zeros between the taps of a kernel along its
 * leading spatial axes, so that an undilated convolution with the result
 * equals a dilated convolution with `kernel`. tfjs-core has no gradient for
 * dilated convolutions; this form is differentiable on every backend.
 * Returns `kernel` itself when every rate is 1; otherwise a new tensor.
 */
export function dilateKernel(kernel: tf.Tensor, dilation: readonly number[]): tf.Tensor {
  let k = kernel;
  dilation.forEach((rate, axis) => {
    if (rate === 1) return;
    const shape = k.shape;
    const size = shape[axis]!;
    // [.., size, ..] → [.., size, 1, ..] ⧺ zeros [.., size, rate - 1, ..] → [.., size·rate, ..] → first (size-1)·rate+1.
    const expanded = tf.expandDims(k, axis + 1);
    const zerosShape = [...shape.slice(0, axis + 1), rate - 1, ...shape.slice(axis + 1)];
    const interleaved = tf.concat([expanded, tf.zeros(zerosShape)], axis + 1);
    const flat = tf.reshape(interleaved, [...shape.slice(0, axis), size * rate, ...shape.slice(axis + 1)]);
    const begin = shape.map(() => 0);
    const sizes = [...shape];
    sizes[axis] = dilatedSize(size, rate);
    k = tf.slice(flat, begin, sizes);
  });
  return k;
}

/** Casts non-float32 inputs to float32 (Keras autocasts layer inputs). */
export function asFloat32(input: tf.Tensor): tf.Tensor {
  return input.dtype === 'float32' ? input : tf.cast(input, 'float32');
}

/** Amounts before and after, per spatial axis: `[[top, bottom], [left, right]]`. */
export type AxisPairs = readonly (readonly [number, number])[];

/**
 * Normalizes Keras' padding/cropping argument for `rank` spatial axes: an
 * integer (same on every side), one integer per axis (symmetric), or one
 * `[before, after]` pair per axis. Values are non-negative integers.
 */
export function checkAxisPairs(kind: string, option: string, value: unknown, rank: number): AxisPairs {
  const ok = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
  const freeze = (pairs: [number, number][]) => Object.freeze(pairs.map((p) => Object.freeze(p) as readonly [number, number]));
  if (ok(value)) return freeze(Array.from({length: rank}, () => [value, value]));
  if (Array.isArray(value) && value.length === rank) {
    if (value.every(ok)) return freeze(value.map((v: number) => [v, v]));
    if (value.every((p) => Array.isArray(p) && p.length === 2 && p.every(ok))) {
      return freeze(value.map((p: number[]) => [p[0]!, p[1]!]));
    }
  }
  throw new ConfigError(
    `${kind}: ${option} must be a non-negative integer, ${rank} of them (one per axis), or ${rank} ` +
      `[before, after] pairs such as [[1, 1], [2, 2]]; got ${Array.isArray(value) ? JSON.stringify(value) : describe(value)}.`,
  );
}

/**
 * TensorFlow's `'same'` padding along one axis, `[before, after]`: the total
 * `max((⌈n/s⌉ - 1)·s + k - n, 0)`, the odd one at the end.
 */
export function samePadding(input: number, window: number, stride: number): [number, number] {
  const total = Math.max((Math.ceil(input / stride) - 1) * stride + window - input, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** The window options every convolution shares, validated and normalized. */
export type ConvWindow = {
  readonly kernelSize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: Padding;
  readonly dataFormat: DataFormat;
  readonly dilationRate: readonly number[];
};

/** The window options of a convolution as its factory takes them, before they are checked. */
type ConvWindowInput = {kernelSize?: unknown; strides?: unknown; padding?: unknown; dataFormat?: unknown; dilationRate?: unknown};

/**
 * Validates `kernelSize`, `strides` (default 1) and `dilationRate` (default 1)
 * of a convolution over `rank` axes. `stridesWithDilation: false` rejects
 * strides and dilation both above 1, as Keras does for `Conv1D`, `Conv2D` and
 * `Conv2DTranspose`.
 */
export function checkWindowSizes(
  kind: string,
  options: ConvWindowInput,
  rank: number,
  stridesWithDilation: boolean,
): Pick<ConvWindow, 'kernelSize' | 'strides' | 'dilationRate'> {
  const kernelSize = checkTuple(kind, 'kernelSize', options.kernelSize, rank);
  const strides = checkTuple(kind, 'strides', options.strides ?? 1, rank);
  const dilationRate = checkTuple(kind, 'dilationRate', options.dilationRate ?? 1, rank);
  if (!stridesWithDilation && strides.some((s) => s > 1) && dilationRate.some((d) => d > 1)) {
    throw new ConfigError(
      `${kind}: strides > 1 cannot be combined with dilationRate > 1 (as in Keras); got strides ` +
        `${JSON.stringify(strides)} and dilationRate ${JSON.stringify(dilationRate)}.`,
    );
  }
  return {kernelSize, strides, dilationRate};
}

/**
 * Validates `kernelSize`, `strides` (default 1), `padding`, `dataFormat` and
 * `dilationRate` (default 1) of a convolution over `rank` axes, the sizes
 * first (see {@link checkWindowSizes}).
 */
export function checkConvWindow(kind: string, options: ConvWindowInput, rank: number, stridesWithDilation: boolean): ConvWindow {
  const {kernelSize, strides, dilationRate} = checkWindowSizes(kind, options, rank, stridesWithDilation);
  return {
    kernelSize,
    strides,
    padding: checkPadding(kind, options.padding),
    dataFormat: checkDataFormat(kind, options.dataFormat),
    dilationRate,
  };
}

/** What tfjs-core's convolutions take as padding: `'valid'` or explicit `[[0, 0], [top, bottom], [left, right], [0, 0]]`. */
export type ConvPadding = 'valid' | [[number, number], [number, number], [number, number], [number, number]];

/**
 * The padding to hand tfjs-core for a 2-D window over `spatial` (`[height,
 * width]`): `'same'` becomes TensorFlow's amounts, explicitly. tfjs' wasm
 * backend computes `'same'` convolutions wrongly (all zeros or shifted) when a
 * kernel is smaller than its stride; explicit amounts are right on every
 * backend, forward and backward.
 */
export function convPadding(
  padding: Padding,
  spatial: readonly number[],
  window: readonly number[],
  strides: readonly number[],
): ConvPadding {
  if (padding === 'valid') return 'valid';
  return [[0, 0], samePadding(spatial[0]!, window[0]!, strides[0]!), samePadding(spatial[1]!, window[1]!, strides[1]!), [0, 0]];
}
