/**
 * Keras' `train_on_batch` and `test_on_batch`: one step on one batch, logs
 * read back once.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {checkOptions} from '../options-check';
import {ensureGradients} from '../gradients';
import type {LoopModel} from './loop-model';
import type {Compiled} from '../model/options';
import {createRng, nextSeed} from '../seed';
import {EpochState, readScalars} from './epoch-state';
import {evaluateOnDevice} from './evaluate';
import {prepareData, type FitData} from './fit-data';
import {release, type TensorInput} from './inputs';
import type {ClassWeight} from './sample-weights';
import {createStep} from './train-step';

/** Options of {@link Model.trainOnBatch}: Keras' `sample_weight` and `class_weight` (not both). */
export type TrainOnBatchOptions = {
  /** One finite non-negative weight per sample, `[batch]`. Not disposed. */
  readonly sampleWeight?: TensorInput;
  /** `{classId: weight}`, turned into per-sample weights from `y`. */
  readonly classWeight?: ClassWeight;
};

/** Options of {@link Model.testOnBatch}: Keras' `sample_weight`. */
export type TestOnBatchOptions = {
  /** One finite non-negative weight per sample, `[batch]`. Not disposed. */
  readonly sampleWeight?: TensorInput;
};

/** Converts and checks one batch as `fit` does; the caller releases `owned`. */
function prepareBatch(model: LoopModel, compiled: Compiled, x: unknown, y: unknown, options: TrainOnBatchOptions): Promise<FitData> {
  return prepareData(model, compiled.losses, x, y, {split: 0, sampleWeight: options.sampleWeight, classWeight: options.classWeight});
}

/**
 * One training step on the whole batch `(x, y)`, as one step of `fit`; returns
 * the step's loss (weighted, penalties included) and the metrics of this batch
 * alone. @internal
 */
export async function runTrainOnBatch(
  model: LoopModel,
  compiled: Compiled,
  x: unknown,
  y: unknown,
  options: TrainOnBatchOptions,
): Promise<Record<string, number>> {
  checkOptions('trainOnBatch', options, ['sampleWeight', 'classWeight']);
  ensureGradients();
  const data = await prepareBatch(model, compiled, x, y, options);
  const state = new EpochState(compiled.metrics, compiled.outputNames);
  try {
    const {x: xs, y: ys, w, count} = data.train;
    const step = createStep(model, compiled, createRng(nextSeed()));
    const result = step({x: xs, y: ys, w, indices: null, start: 0, size: count});
    try {
      state.add(result);
    } finally {
      tf.dispose([result.pred, result.yb, result.wb] as tf.TensorContainer);
    }
    await state.settled();
    return await readScalars(state.tensors(''));
  } finally {
    state.dispose();
    for (const t of data.owned) release(t);
  }
}

/** The loss (weighted, penalties included) and metrics of the batch `(x, y)` in inference mode. @internal */
export async function runTestOnBatch(
  model: LoopModel,
  compiled: Compiled,
  x: unknown,
  y: unknown,
  options: TestOnBatchOptions,
): Promise<Record<string, number>> {
  checkOptions('testOnBatch', options, ['sampleWeight']);
  const data = await prepareBatch(model, compiled, x, y, {sampleWeight: options.sampleWeight});
  try {
    return await readScalars(await evaluateOnDevice(model, data.train, data.train.count, compiled));
  } finally {
    for (const t of data.owned) release(t);
  }
}
