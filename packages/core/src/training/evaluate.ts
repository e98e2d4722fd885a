/**
 * Evaluation on the device: loss and metric sums over batches, no readback.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Model} from '../model/model';
import type {Compiled} from '../model/options';
import {sliceRows} from './batches';
import {EpochState} from './epoch-state';
import type {Rows} from './fit-data';
import {inferenceContext} from './inference-context';

/**
 * The loss (mean per-sample loss plus the weights' regularization penalty)
 * and metrics of `model` over the given rows, as scalars keyed
 * `<prefix>loss`, `<prefix><metric>` and owned by the caller. The data
 * tensors are not disposed.
 */
export function evaluateOnDevice(
  model: Model,
  rows: Rows,
  batchSize: number,
  compiled: Compiled,
  prefix = '',
): Record<string, tf.Scalar> {
  const {x, y} = rows;
  const state = new EpochState(compiled.metrics);
  const penalty = model.regularizationPenalty();
  try {
    const end = rows.start + rows.count;
    const context = inferenceContext();
    for (let start = rows.start; start < end; start += batchSize) {
      const size = Math.min(batchSize, end - start);
      const {loss, pred, yb} = tf.tidy(() => {
        const xb = tf.cast(sliceRows(x, start, size), 'float32');
        const yb = sliceRows(y, start, size);
        const pred = model.call(xb, context);
        return {loss: tf.mean(compiled.loss(yb, pred)) as tf.Scalar, pred, yb};
      });
      state.add(loss, size, yb, pred);
      tf.dispose([pred, yb]);
    }
    return state.tensors(prefix, penalty ? {penalty} : {});
  } finally {
    state.dispose();
    penalty?.dispose();
  }
}
