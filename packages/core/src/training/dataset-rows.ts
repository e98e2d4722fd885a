/**
 * One batch of a dataset turned into rows to train or evaluate on (the
 * batches of `fitDataset` and of its validation dataset).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {DTypeError, describe} from '../errors';
import type {LoopModel} from './loop-model';
import type {Compiled, FitOptions} from '../model/options';
import type {RawBatch} from './dataset';
import {isMultiIO, prepareBatch, type Rows} from './fit-data';
import type {OwnedTensor} from './inputs';

/**
 * Checks `batch` against the model (building it from the first batch) as
 * `fit` checks its data, except for NaN in the features (no readback), and
 * returns it as rows: float32 features, the targets, and the per-sample
 * weights (the batch's own `sampleWeight` times `classWeight`, when given),
 * through the same conversion as `fit` (`prepareBatch`; the target and weight
 * checks read back asynchronously). The caller releases `owned`; the batch's
 * tensors are not disposed.
 * @throws ShapeError / DTypeError / DataError / ConfigError naming the batch (`where`), as a rejection.
 */
export async function streamRows(
  model: LoopModel,
  compiled: Compiled,
  batch: RawBatch,
  where: string,
  classWeight: FitOptions['classWeight'],
): Promise<{rows: Rows; owned: OwnedTensor[]}> {
  if (!isMultiIO(model) && (!(batch.x instanceof tf.Tensor) || !(batch.y instanceof tf.Tensor))) {
    throw new DTypeError(
      `${where}: model '${model.name}' has one input and one output, so x and y must be tensors; ` +
        `got ${describe(batch.x instanceof tf.Tensor ? batch.y : batch.x)}.`,
    );
  }
  const targets = batch.y instanceof tf.Tensor ? [batch.y] : Object.values(batch.y);
  const text = targets.find((y) => y.dtype === 'string' || y.dtype === 'complex64');
  if (text) throw new DTypeError(`${where}: y must be float32, int32 or bool; got ${text.dtype}.`);
  return prepareBatch(model, compiled.losses, batch, where, classWeight);
}
