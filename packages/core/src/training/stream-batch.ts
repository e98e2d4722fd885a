/**
 * One batch of a dataset turned into rows to train or evaluate on (the
 * batches of `fitDataset` and of its validation dataset).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {DTypeError, describe} from '../errors';
import type {Model} from '../model/model';
import type {Compiled, FitOptions} from '../model/options';
import {checkBatch, type RawBatch} from './dataset';
import {isMultiIO, prepareBatch, type Rows} from './fit-data';
import {asFloat, release, type OwnedTensor} from './inputs';
import {classWeightsToSampleWeights, prepareSampleWeight, type ClassWeight} from './sample-weights';

/**
 * Checks `batch` against the model (building it from the first batch) as
 * `fit` checks its data, except for NaN in the features (no readback), and
 * returns it as rows: float32 features, the targets, and the per-sample
 * weights (the batch's own `sampleWeight` times `classWeight`, when given).
 * The caller releases `owned`; the batch's tensors are not disposed.
 * @throws ShapeError / DTypeError / DataError / ConfigError naming the batch (`where`).
 */
export function streamRows(
  model: Model,
  compiled: Compiled,
  batch: RawBatch,
  where: string,
  classWeight: FitOptions['classWeight'],
): {rows: Rows; owned: OwnedTensor[]} {
  if (isMultiIO(model)) return prepareBatch(model, compiled.losses, batch, where, classWeight);
  if (!(batch.x instanceof tf.Tensor) || !(batch.y instanceof tf.Tensor)) {
    throw new DTypeError(
      `${where}: model '${model.name}' has one input and one output, so x and y must be tensors; ` +
        `got ${describe(batch.x instanceof tf.Tensor ? batch.y : batch.x)}.`,
    );
  }
  const single = batch as RawBatch & {readonly x: tf.Tensor; readonly y: tf.Tensor};
  checkBatch(model, compiled, single, where);
  const {x, y} = single;
  const n = x.shape[0]!;
  const owned: OwnedTensor[] = [];
  try {
    const xf = asFloat(x);
    owned.push(xf);
    let w: tf.Tensor | null = null;
    if (batch.w) {
      const weights = prepareSampleWeight(batch.w as tf.Tensor, n, `${where} sampleWeight`);
      owned.push(weights);
      w = weights.tensor;
    }
    if (classWeight !== undefined) {
      const fromClasses = classWeightsToSampleWeights(classWeight as ClassWeight, y, compiled.loss, model.outputShape!);
      owned.push({tensor: fromClasses, owned: true});
      // With the batch's own sample weights, the two multiply (tf.keras' rule).
      if (w) owned.push({tensor: (w = tf.mul(w, fromClasses)), owned: true});
      else w = fromClasses;
    }
    return {rows: {x: xf.tensor, y, w, start: 0, count: n}, owned};
  } catch (error) {
    for (const t of owned) release(t);
    throw error;
  }
}
