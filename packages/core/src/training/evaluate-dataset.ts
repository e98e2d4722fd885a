/**
 * Evaluation over a dataset of batches, on the device (the validation of `fitDataset`).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {DataError} from '../errors';
import type {LoopModel} from './loop-model';
import type {Compiled} from '../model/options';
import type {CallContext} from '../spec/layer';
import {AddedLosses} from './added-losses';
import {BatchReader, takeBatch, type Dataset} from './dataset';
import {EpochState} from './epoch-state';
import {inferenceContext} from './inference-context';
import {computeLoss} from './compute-loss';
import {release, type OwnedTensor} from './inputs';
import {streamRows} from './dataset-rows';
import type {Tensors} from './tensors';

/**
 * The loss and metrics of `model` in inference mode over one pass of
 * `dataset` (to its end, or `maxBatches` batches), computed as
 * `evaluateOnDevice` computes them for tensors: the sample-weighted mean of
 * the batch losses plus the weights' regularization penalty. Returns scalars
 * keyed `<prefix>loss`, `<prefix><metric>`, owned by the caller. Each batch's
 * tensors are disposed after use unless `keepBatches`.
 * @throws DataError when the dataset yields no batch; the errors of `streamRows` for a bad one.
 */
export async function evaluateDataset(
  model: LoopModel,
  compiled: Compiled,
  dataset: Dataset,
  maxBatches: number | null,
  keepBatches: boolean,
  prefix: string,
): Promise<Record<string, tf.Scalar>> {
  const reader = new BatchReader(dataset);
  const state = new EpochState(compiled.metrics, compiled.outputNames);
  const added = new AddedLosses();
  const context: CallContext = {...inferenceContext(), addLoss: added.record};
  try {
    for (let index = 0; maxBatches === null || index < maxBatches; index++) {
      const value = await reader.next();
      if (value === null) break;
      const batch = takeBatch(value, index, keepBatches);
      let owned: OwnedTensor[] = [];
      try {
        const converted = await streamRows(model, compiled, batch, `fitDataset validation batch ${index}`, undefined);
        owned = converted.owned;
        const {x, y, w, count} = converted.rows;
        let result: {loss: tf.Scalar; outputs: tf.Scalar[] | null; pred: Tensors};
        try {
          result = tf.tidy(() => {
            added.begin();
            const pred = model.call(x, context);
            const {total, outputs} = computeLoss(compiled, y, pred, w);
            return {loss: added.sumInto(total), outputs, pred} as unknown as tf.TensorContainer;
          }) as unknown as {loss: tf.Scalar; outputs: tf.Scalar[] | null; pred: Tensors};
        } finally {
          added.clear();
        }
        try {
          state.add({loss: result.loss, size: count, yb: y, pred: result.pred, penalty: null, wb: w, outputLosses: result.outputs});
        } finally {
          tf.dispose(result.pred as tf.TensorContainer);
        }
      } finally {
        for (const t of owned) release(t);
        if (!keepBatches) tf.dispose([batch.x, batch.y, batch.w] as tf.TensorContainer);
      }
    }
    if (state.samples === 0) {
      throw new DataError(
        'fitDataset: the validation dataset yielded no batches; a one-shot generator can be read only once, so pass a function returning a new one.',
      );
    }
    await state.settled();
    const penalty = model.regularizationPenalty();
    try {
      return state.tensors(prefix, penalty ? {penalty} : {});
    } finally {
      penalty?.dispose();
    }
  } finally {
    state.dispose();
    await reader.close();
  }
}
