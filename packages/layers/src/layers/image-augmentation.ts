/**
 * Option checks, shapes, seeds and the affine resampling shared by the image
 * augmentation layers (`randomFlip`, `randomRotation`, ...; internal).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, StateError, createRng, describe, type CallContext, type Rng, type Shape} from '@trellis/core';
import {checkBuildShape, formatShape} from './common';

/** How points outside the image are filled (Keras `fill_mode`). */
export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';

/** How pixel values are sampled between pixels (Keras `interpolation`). */
export type Interpolation = 'nearest' | 'bilinear';

/** A factor as Keras takes it: one number `f` for the range [-|f|, |f|], or a pair [lower, upper]. */
export type Factor = number | readonly [number, number];

/** The fill modes Keras' geometric augmentation layers accept. */
export const FILL_MODES: readonly FillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];

/** The interpolations Keras' geometric augmentation layers accept. */
export const INTERPOLATIONS: readonly Interpolation[] = ['nearest', 'bilinear'];

/** Describes an option value for messages, showing short arrays of numbers in full (`[0.4, -0.4]`). */
export function describeValue(value: unknown): string {
  if (Array.isArray(value) && value.length <= 4 && value.every((v) => typeof v === 'number')) return `[${value.join(', ')}]`;
  return describe(value);
}

/** A validated factor: the value as given (for the spec) and the range it stands for. */
export type FactorRange = {
  readonly factor: number | [number, number];
  readonly lower: number;
  readonly upper: number;
};

/** Bounds of a factor: each number (and each pair entry) must lie in [min, max] ((min, max] when `minExclusive`). */
export type FactorBounds = {readonly min: number; readonly max: number; readonly minExclusive?: boolean};

/**
 * Checks a factor and returns its range, as Keras does: a number `f` gives
 * [max(-|f|, min), |f|]; a pair is sorted into [lower, upper].
 */
export function factorOption(kind: string, option: string, value: unknown, bounds: FactorBounds): FactorRange {
  const {min, max, minExclusive = false} = bounds;
  const inBounds = (n: unknown): n is number =>
    typeof n === 'number' && Number.isFinite(n) && (minExclusive ? n > min : n >= min) && n <= max;
  const interval = `${minExclusive ? '(' : '['}${min}, ${max}]`;
  if (inBounds(value)) {
    const f = Math.abs(value);
    return {factor: value, lower: Math.max(-f, min), upper: f};
  }
  if (Array.isArray(value) && value.length === 2 && value.every(inBounds)) {
    const [a, b] = value as [number, number];
    return {factor: [a, b], lower: Math.min(a, b), upper: Math.max(a, b)};
  }
  throw new ConfigError(
    `${kind}: ${option} must be a number in ${interval} or a pair [lower, upper] of numbers in ${interval}; ` +
      `got ${describeValue(value)}.`,
  );
}

/** Checks `fillMode` (default 'reflect'). */
export function fillModeOption(kind: string, value: unknown): FillMode {
  if (value === undefined) return 'reflect';
  if (!FILL_MODES.includes(value as FillMode)) {
    throw new ConfigError(`${kind}: fillMode must be one of ${FILL_MODES.map((m) => `'${m}'`).join(', ')}; got ${describe(value)}.`);
  }
  return value as FillMode;
}

/** Checks `interpolation` (default 'bilinear'). */
export function interpolationOption(kind: string, value: unknown): Interpolation {
  if (value === undefined) return 'bilinear';
  if (!INTERPOLATIONS.includes(value as Interpolation)) {
    throw new ConfigError(
      `${kind}: interpolation must be one of ${INTERPOLATIONS.map((m) => `'${m}'`).join(', ')}; got ${describe(value)}.`,
    );
  }
  return value as Interpolation;
}

/** Checks `fillValue` (default 0), the value of points outside the image with fillMode 'constant'. */
export function fillValueOption(kind: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError(`${kind}: fillValue must be a finite number; got ${describe(value)}.`);
  }
  return value;
}

/** Checks `valueRange` (default [0, 255]): a pair [low, high] of finite numbers with low < high. */
export function valueRangeOption(kind: string, value: unknown, sort: boolean): [number, number] {
  if (value === undefined) return [0, 255];
  const pair = Array.isArray(value) && value.length === 2 && value.every((n) => typeof n === 'number' && Number.isFinite(n));
  const [low, high] = pair ? (sort ? [...(value as number[])].sort((a, b) => a - b) : (value as number[])) : [0, 0];
  if (!pair || !(low! < high!)) {
    throw new ConfigError(
      `${kind}: valueRange must be a pair [low, high] of finite numbers with low < high (the range of the pixel ` +
        `values, e.g. [0, 255] or [0, 1]); got ${describeValue(value)}.`,
    );
  }
  return [low!, high!];
}

/** Checks the build shape of an image layer: `[height, width, channels]` (channels last). */
export function checkImageBuildShape(label: string, shape: Shape, declared: Shape | undefined): void {
  checkBuildShape(label, shape, declared);
  if (shape.length !== 3) {
    throw new ShapeError(
      `${label} expects images of shape [batch, height, width, channels] (channels last), so an input shape ` +
        `[height, width, channels]; it was built with ${formatShape(shape)}.`,
    );
  }
}

/**
 * Checks a call input against the built image shape: `[batch, h, w, c]`, or
 * a single image `[h, w, c]` (as Keras accepts). Returns whether it is a single image.
 */
export function checkImageCallShape(label: string, built: Shape | null, shape: readonly number[]): boolean {
  if (!built) throw new StateError(`${label} was called before it was built.`);
  const single = shape.length === 3;
  const image = single ? shape : shape.slice(1);
  if (!(shape.length === 3 || shape.length === 4) || image.some((d, i) => d !== built[i])) {
    throw new ShapeError(
      `${label} expects images of shape [batch, ${built.join(', ')}] or a single image ${formatShape(built)} ` +
        `(it was built for ${formatShape(built)}); got ${formatShape(shape)}.`,
    );
  }
  return single;
}

/** The host generator of one training call: seeded from the layer's own stream, else from the context. */
export function callRng(own: Rng | null, context: CallContext): Rng {
  return createRng(own ? own.nextSeed() : context.nextSeed());
}

/** `input` as float32: itself when float32, else a cast copy. */
export function asFloat(input: tf.Tensor): tf.Tensor {
  return input.dtype === 'float32' ? input : tf.cast(input, 'float32');
}

/** Where tap index `i` of an axis of `size` pixels reads from, or -1 for the fill value. */
function fixIndex(i: number, size: number, fillMode: FillMode): number {
  switch (fillMode) {
    case 'reflect': {
      const r = ((i % (2 * size)) + 2 * size) % (2 * size);
      return r < size ? r : 2 * size - 1 - r;
    }
    case 'wrap':
      return ((i % size) + size) % size;
    case 'nearest':
      return Math.min(Math.max(i, 0), size - 1);
    default:
      return i >= 0 && i < size ? i : -1;
  }
}

/** Rounds half away from zero (as TensorFlow and JAX pick the nearest pixel). */
function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.floor(Math.abs(x) + 0.5);
}

/**
 * Resamples each image of `images` (`[batch, h, w, c]`, float32) at the
 * input points its row of `transforms` gives for every output pixel: the
 * affine `[a0, a1, a2, b0, b1, b2, 0, 0]` maps output (x, y) to input
 * (a0 x + a1 y + a2, b0 x + b1 y + b2), as Keras' `affine_transform`
 * (entries rounded to float32, as Keras computes them). Sampling follows Keras on JAX
 * (`map_coordinates`): each neighbour pixel of a point (4 for 'bilinear', the
 * nearest one, halves rounded away from zero, for 'nearest') is read through
 * `fillMode` — 'reflect' `d c b a | a b c d | d c b a`, 'wrap'
 * `a b c d | a b c d`, 'nearest' the edge pixel, 'constant' `fillValue` —
 * and weighted. The output is `[batch, ...outputSize, c]` (default the
 * input's size). The reads are one `tf.gather`, so gradients flow to
 * `images`. Returns a new tensor; disposes nothing.
 */
export function transformImages(
  images: tf.Tensor4D,
  transforms: readonly (readonly number[])[],
  interpolation: Interpolation,
  fillMode: FillMode,
  fillValue: number,
  outputSize: readonly [number, number] = [images.shape[1], images.shape[2]],
): tf.Tensor4D {
  const [batch, height, width, channels] = images.shape;
  const [outHeight, outWidth] = outputSize;
  const pixels = batch * height * width;
  const outPixels = batch * outHeight * outWidth;
  const taps = interpolation === 'bilinear' ? 4 : 1;
  const indices = new Int32Array(outPixels * taps);
  const weights = new Float32Array(outPixels * taps);
  let k = 0;
  const tap = (b: number, row: number, col: number, weight: number) => {
    const r = fixIndex(row, height, fillMode);
    const q = fixIndex(col, width, fillMode);
    indices[k] = r < 0 || q < 0 ? pixels : (b * height + r) * width + q;
    weights[k++] = weight;
  };
  for (let b = 0; b < batch; b++) {
    const m = transforms[b]!.map(Math.fround);
    for (let y = 0; y < outHeight; y++) {
      for (let x = 0; x < outWidth; x++) {
        const inX = m[0]! * x + m[1]! * y + m[2]!;
        const inY = m[3]! * x + m[4]! * y + m[5]!;
        if (taps === 1) {
          tap(b, roundHalfAway(inY), roundHalfAway(inX), 1);
          continue;
        }
        const [x0, y0] = [Math.floor(inX), Math.floor(inY)];
        const [fx, fy] = [inX - x0, inY - y0];
        tap(b, y0, x0, (1 - fy) * (1 - fx));
        tap(b, y0, x0 + 1, (1 - fy) * fx);
        tap(b, y0 + 1, x0, fy * (1 - fx));
        tap(b, y0 + 1, x0 + 1, fy * fx);
      }
    }
  }
  return tf.tidy(() => {
    // One extra row holds the fill value; reads outside the image with fillMode 'constant' point to it.
    const rows = tf.concat([tf.reshape(images, [pixels, channels]), tf.fill([1, channels], fillValue, 'float32')], 0);
    const read = tf.gather(rows, tf.tensor1d(indices, 'int32'));
    if (taps === 1) return tf.reshape(read, [batch, outHeight, outWidth, channels]) as tf.Tensor4D;
    const weighted = tf.mul(tf.reshape(read, [outPixels, taps, channels]), tf.tensor3d(weights, [outPixels, taps, 1], 'float32'));
    return tf.reshape(tf.sum(weighted, 1), [batch, outHeight, outWidth, channels]) as tf.Tensor4D;
  });
}

/** Runs `transform` on `input` as a batch (a single `[h, w, c]` image is given a batch of 1 and taken out again). */
export function asBatch(input: tf.Tensor, single: boolean, transform: (images: tf.Tensor4D) => tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const images = (single ? tf.expandDims(input, 0) : input) as tf.Tensor4D;
    const out = transform(images);
    return single ? tf.squeeze(out, [0]) : out;
  });
}
