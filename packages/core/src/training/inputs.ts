/**
 * Turning user data into tensors, and checking it before training.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, DTypeError, ShapeError, describe} from '../errors';
import type {Shape} from '../spec/layer';

/** Data `fit`, `evaluate` and `predict` accept: a tensor, or nested numbers / a typed array. */
export type TensorInput = tf.Tensor | tf.TensorLike;

/** A tensor and whether the caller of `toTensor` must dispose it. */
export interface OwnedTensor {
  readonly tensor: tf.Tensor;
  readonly owned: boolean;
}

/** Converts user data to a tensor without copying tensors; arrays become new tensors (owned). */
export function toTensor(value: TensorInput, what: string): OwnedTensor {
  if (value instanceof tf.Tensor) {
    if (value.isDisposed) throw new DataError(`${what} is a disposed tensor; pass a live tensor.`);
    return {tensor: value, owned: false};
  }
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    let tensor: tf.Tensor;
    try {
      tensor = tf.tensor(value as tf.TensorLike);
    } catch (error) {
      throw new ShapeError(
        `${what} could not be turned into a tensor: ${(error as Error).message}. Pass a tf.Tensor or a rectangular nested array of numbers.`,
        {cause: error},
      );
    }
    // tfjs infers the shape from the first element of each level and does not
    // check the rest, so a ragged array would become a tensor with missing values.
    const count = Array.isArray(value) ? flatLength(value) : tensor.size;
    if (count !== tensor.size) {
      const shape = `[${tensor.shape.join(', ')}]`;
      tensor.dispose();
      throw new ShapeError(
        `${what} could not be turned into a tensor: it is ragged (${count} numbers, but its first rows imply shape ${shape}). ` +
          'Pass a tf.Tensor or a rectangular nested array of numbers.',
      );
    }
    return {tensor, owned: true};
  }
  throw new DTypeError(`${what} must be a tf.Tensor or a (nested) array of numbers; got ${describe(value)}.`);
}

/** Disposes the tensors the caller owns. */
export function release(...items: (OwnedTensor | undefined)[]): void {
  for (const item of items) if (item?.owned && !item.tensor.isDisposed) item.tensor.dispose();
}

/** Checks that `x` is numeric, has a batch dimension and matches `inputShape` (when known). */
export function checkFeatures(x: tf.Tensor, inputShape: Shape | undefined, what = 'x'): void {
  if (x.dtype === 'string' || x.dtype === 'complex64') {
    throw new DTypeError(`${what} must be float32, int32 or bool; got ${x.dtype}.`);
  }
  if (x.rank < 1) throw new ShapeError(`${what} must have a batch dimension; got a scalar.`);
  if (inputShape && !tf.util.arraysEqual(x.shape.slice(1), [...inputShape])) {
    if (x.rank === 1) {
      const one = inputShape.reduce((a, b) => a * b, 1) === x.shape[0];
      throw new ShapeError(
        `${what} has shape [${x.shape[0]}], but the model expects [batch, ${inputShape.join(', ')}]: ${what} has no feature dimension. ` +
          (one
            ? `If it is one sample, add the batch dimension (tf.expandDims(${what}, 0), shape [1, ${inputShape.join(', ')}]).`
            : `Reshape it to [samples, ${inputShape.join(', ')}] (for one feature per sample: [${x.shape[0]}, 1] and a model with inputShape [1]).`),
      );
    }
    throw new ShapeError(
      `${what} has shape [${x.shape.join(', ')}], but the model expects [batch, ${inputShape.join(', ')}]. ` +
        `Reshape the data or build the model with inputShape [${x.shape.slice(1).join(', ')}].`,
    );
  }
}

/** Checks that x and y have the same, non-zero number of samples. */
export function checkPairs(x: tf.Tensor, y: tf.Tensor, what = ''): void {
  if (y.rank < 1) throw new ShapeError(`y${what} must have a batch dimension; got a scalar.`);
  if (x.shape[0] !== y.shape[0]) {
    throw new ShapeError(`x${what} has ${x.shape[0]} samples but y${what} has ${y.shape[0]}; they must have the same first dimension.`);
  }
  if (x.shape[0] === 0) throw new DataError(`x${what} and y${what} are empty (0 samples); pass at least one sample.`);
}

/**
 * Rejects with a DataError if `t` holds NaN or an infinity. One readback of
 * one number when the data is clean: the sum of finite values is finite
 * unless it overflows, and any NaN or infinity makes it non-finite. Only then
 * are rows scanned in chunks (so no full-size temporary is ever allocated) to
 * name the first bad sample. Reads back asynchronously (`await data()`), so it
 * works on backends without synchronous readback (webgpu). `t` is not
 * disposed; nothing is left allocated.
 */
export async function checkFinite(t: tf.Tensor, what: string): Promise<void> {
  if (t.dtype !== 'float32' || t.size === 0) return;
  const total = tf.tidy(() => tf.sum(t));
  let sum: number;
  try {
    sum = (await total.data())[0]!;
  } finally {
    total.dispose();
  }
  if (Number.isFinite(sum)) return;
  const n = t.shape[0]!;
  const perSample = t.size / n;
  const rowsPerChunk = Math.max(1, Math.floor(65536 / Math.max(1, perSample)));
  for (let start = 0; start < n; start += rowsPerChunk) {
    const count = Math.min(rowsPerChunk, n - start);
    const chunk = tf.tidy(() => {
      const begin = t.shape.map((_, i) => (i === 0 ? start : 0));
      const size = t.shape.map((d, i) => (i === 0 ? count : d));
      return tf.slice(t, begin, size);
    });
    let values: Float32Array;
    try {
      values = (await chunk.data()) as Float32Array;
    } finally {
      chunk.dispose();
    }
    const at = values.findIndex((v) => !Number.isFinite(v));
    if (at !== -1) {
      const value = values[at]!;
      throw new DataError(
        `${what} holds ${Number.isNaN(value) ? 'NaN' : value} at sample ${start + Math.floor(at / perSample)} ` +
          `(flat index ${start * perSample + at}); expected finite numbers. Clean or impute the data before training.`,
      );
    }
  }
}

/** Checks a positive integer option. */
export function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${name} must be a positive integer; got ${describe(value)}.`);
  }
  return value;
}

/**
 * Checks `initialEpoch` against `epochs` (the epoch to stop before, as in
 * Keras): an initial epoch beyond it would silently train nothing.
 */
export function checkEpochRange(initialEpoch: number, epochs: number): void {
  if (initialEpoch > epochs) {
    throw new ConfigError(
      `initialEpoch ${initialEpoch} is beyond epochs ${epochs}: epochs is the epoch to stop before (as in Keras), so nothing would train. ` +
        `Pass epochs > initialEpoch (e.g. epochs: ${initialEpoch + epochs} to train ${epochs} more).`,
    );
  }
}

/** Checks a non-negative integer option. */
export function nonNegativeInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ConfigError(`${name} must be a non-negative integer; got ${describe(value)}.`);
  }
  return value;
}

/** Casts int32/bool features to float32 (Keras casts inputs to the model's float type). */
export function asFloat(x: tf.Tensor): OwnedTensor {
  return x.dtype === 'float32' ? {tensor: x, owned: false} : {tensor: tf.cast(x, 'float32'), owned: true};
}

function flatLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + flatLength(v), 0);
  if (ArrayBuffer.isView(value)) return (value as unknown as ArrayLike<number>).length;
  return 1;
}
