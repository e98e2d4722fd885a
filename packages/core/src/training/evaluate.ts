/**
 * Evaluation on the device: loss and metric sums over batches, no readback.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {LoopModel} from './loop-model';
import type {Compiled} from '../model/options';
import type {CallContext} from '../spec/layer';
import {AddedLosses} from './added-losses';
import {EpochState} from './epoch-state';
import type {Rows} from './fit-data';
import {inferenceContext} from './inference-context';
import {computeLoss} from './compute-loss';
import {mapTensors, sliceRows} from './tensors';
import type {StepResult} from './train-step';

/**
 * The loss (mean per-sample loss, weighted by `rows.w` as Keras'
 * `sum_over_batch_size` when given, plus the penalties layers add in the
 * forward pass, `CallContext.addLoss`, plus the weights' regularization
 * penalty, as Keras' test step computes it) and metrics of `model` over the given rows, as scalars keyed
 * `<prefix>loss`, `<prefix><metric>` and owned by the caller. The data
 * tensors are not disposed. Resolves once the metrics' asynchronous input
 * checks (`Metric.settled`) have passed; rejects with the first failure.
 */
export async function evaluateOnDevice(
  model: LoopModel,
  rows: Rows,
  batchSize: number,
  compiled: Compiled,
  prefix = '',
): Promise<Record<string, tf.Scalar>> {
  const {x, y, w} = rows;
  const state = new EpochState(compiled.metrics, compiled.outputNames);
  const penalty = model.regularizationPenalty();
  try {
    const end = rows.start + rows.count;
    const added = new AddedLosses();
    const context: CallContext = {...inferenceContext(), addLoss: added.record};
    for (let start = rows.start; start < end; start += batchSize) {
      const size = Math.min(batchSize, end - start);
      let batch: StepResult;
      try {
        batch = tf.tidy(() => {
          const rows = (t: tf.Tensor) => sliceRows(t, start, size);
          const xb = mapTensors(x, (t) => tf.cast(rows(t), 'float32'));
          const yb = mapTensors(y, rows);
          const wb = w ? mapTensors(w, rows) : null;
          added.begin();
          const pred = model.call(xb, context);
          const {total, outputs} = computeLoss(compiled, yb, pred, wb);
          return {loss: added.sumInto(total), outputLosses: outputs, pred, yb, wb, penalty: null, size} as unknown as tf.TensorContainer;
        }) as unknown as StepResult;
      } finally {
        added.clear();
      }
      try {
        state.add(batch);
      } finally {
        tf.dispose([batch.pred, batch.yb, batch.wb] as tf.TensorContainer);
      }
    }
    await state.settled();
    return state.tensors(prefix, penalty ? {penalty} : {});
  } finally {
    state.dispose();
    penalty?.dispose();
  }
}
