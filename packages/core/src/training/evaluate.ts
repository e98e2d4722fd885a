/**
 * Evaluation on the device: loss and metric sums over batches, no readback.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Model} from '../model/model';
import type {Compiled} from '../model/options';
import {sliceRows} from './batches';
import {EpochState} from './epoch-state';
import {inferenceContext} from './inference-context';

/**
 * The loss (mean per-sample loss plus the weights' regularization penalty)
 * and metrics of `model` over `(x, y)`, as scalars keyed `<prefix>loss`,
 * `<prefix><metric>` and owned by the caller. `x` and `y` are not disposed.
 */
export function evaluateOnDevice(
  model: Model,
  x: tf.Tensor,
  y: tf.Tensor,
  batchSize: number,
  compiled: Compiled,
  prefix = '',
): Record<string, tf.Scalar> {
  const state = new EpochState(compiled.metrics);
  const penalty = model.regularizationPenalty();
  try {
    const n = x.shape[0]!;
    const context = inferenceContext();
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
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
