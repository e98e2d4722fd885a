/**
 * Metrics fed batch by batch the way the fit loop feeds them (a new state per
 * batch, the old one disposed), for the tests of this package.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Metric, StateTree} from '@trellis/core';

/** A batch of tensors, owned by the caller. */
export type TensorBatch = {yTrue: tf.Tensor; yPred: tf.Tensor; sw?: tf.Tensor};

/** A batch of plain rows; the tensors made of it live for one update. */
export type RowBatch = {yTrue: number[][]; yPred: number[][]; sw?: number[]};

/** The scalar result of `metric` after `batches` (tensors the caller keeps). */
export function streamedScalar<S extends StateTree & tf.TensorContainer>(metric: Metric<S>, batches: readonly TensorBatch[]): number {
  let state = metric.init();
  for (const b of batches) {
    const next = metric.update(state, b.yTrue, b.yPred, b.sw);
    tf.dispose(state);
    state = next;
  }
  return readResult(metric, state, (r) => r.dataSync()[0]!);
}

/** The result of `metric` after the row `batches`: a number for a scalar result, else its values. */
export function streamedRows<S extends StateTree & tf.TensorContainer>(metric: Metric<S>, batches: readonly RowBatch[]): number | number[] {
  let state = metric.init();
  for (const b of batches) {
    const t = [tf.tensor2d(b.yTrue), tf.tensor2d(b.yPred), b.sw ? tf.tensor1d(b.sw) : undefined] as const;
    const next = metric.update(state, t[0], t[1], t[2]);
    tf.dispose([state, ...t.filter((x) => x !== undefined)]);
    state = next;
  }
  return readResult(metric, state, (r) => (r.rank === 0 ? r.dataSync()[0]! : Array.from(r.dataSync())));
}

/** `read` of the result of `state`; the state and the result are disposed. */
function readResult<S extends StateTree & tf.TensorContainer, T>(metric: Metric<S>, state: S, read: (result: tf.Tensor) => T): T {
  const r = metric.result(state);
  const value = read(r);
  tf.dispose([state, r]);
  return value;
}
