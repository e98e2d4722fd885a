/**
 * One tensor or several: the inputs, targets and outputs of models with one
 * or several of each (internal).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/** A model's inputs, targets or outputs: a tensor, or one per input/output. */
export type Tensors = tf.Tensor | readonly tf.Tensor[];

/** The tensors as a list. */
export function listOf(t: Tensors): readonly tf.Tensor[] {
  return t instanceof tf.Tensor ? [t] : t;
}

/** `f` applied to each tensor, keeping the structure (tensor or array). */
export function mapTensors(t: Tensors, f: (x: tf.Tensor, i: number) => tf.Tensor): Tensors {
  return t instanceof tf.Tensor ? f(t, 0) : t.map(f);
}

/** The number of rows (the first dimension of the first tensor). */
export function rowCount(t: Tensors): number {
  return listOf(t)[0]!.shape[0]!;
}

/** Rows `[start, start + size)` of `t`: a new tensor; `t` is not disposed. */
export function sliceRows(t: tf.Tensor, start: number, size: number): tf.Tensor {
  const begin = t.shape.map((_, i) => (i === 0 ? start : 0));
  const sizes = t.shape.map((d, i) => (i === 0 ? size : d));
  return tf.slice(t, begin, sizes);
}
