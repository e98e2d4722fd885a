/**
 * Batches of rows.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/** Rows `[start, start + size)` of `t`: a new tensor; `t` is not disposed. */
export function sliceRows(t: tf.Tensor, start: number, size: number): tf.Tensor {
  const begin = t.shape.map((_, i) => (i === 0 ? start : 0));
  const sizes = t.shape.map((d, i) => (i === 0 ? size : d));
  return tf.slice(t, begin, sizes);
}
