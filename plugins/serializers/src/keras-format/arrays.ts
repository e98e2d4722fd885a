/**
 * Tensors ↔ the `{dtype, shape, values}` arrays of `@trellis/keras-files` (internal).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {DTypeError} from '@trellis/core';
import type {KerasArray} from '@trellis/keras-files';

const FLOAT = new Set(['float16', 'bfloat16', 'float32', 'float64']);

/**
 * A float32 array of `t`'s values (negated when `negate`), read back with
 * `dataSync`. `t` is not disposed.
 */
export function arrayOfTensor(t: tf.Tensor, negate = false): KerasArray {
  const data = Float32Array.from(t.dataSync() as Float32Array);
  if (negate) for (let i = 0; i < data.length; i++) data[i] = -data[i]!;
  return {dtype: 'float32', shape: [...t.shape], values: data};
}

/**
 * A new float32 tensor of a file's array (negated when `negate`), owned by
 * the caller. Float16, bfloat16 and float64 are converted to float32.
 * @throws DTypeError for an array that is not floating point, naming it by `label`.
 */
export function tensorOfArray(array: KerasArray, negate: boolean, label: string): tf.Tensor {
  if (!FLOAT.has(array.dtype)) throw new DTypeError(`${label} is ${array.dtype}; expected floating-point values (float32).`);
  const data = Float32Array.from(array.values as Float32Array | Float64Array);
  if (negate) for (let i = 0; i < data.length; i++) data[i] = -data[i]!;
  return tf.tensor(data, [...array.shape], 'float32');
}

/**
 * The value of a scalar array (any dtype; 64-bit integers as numbers).
 * @throws DTypeError (naming it by `label`) unless it holds exactly one value.
 */
export function numberOfArray(array: KerasArray, label: string): number {
  if (array.values.length !== 1) throw new DTypeError(`${label}: expected a scalar; got shape [${array.shape.join(', ')}].`);
  return Number(array.values[0]);
}
