/**
 * The one epoch loop of `fit` and `fitDataset` (Keras' `fit` over its
 * `EpochIterator`). One `tf.tidy` per step; losses and metric states stay on
 * the device and are read back once per epoch, or when a callback asks.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {LoopModel} from './loop-model';
import type {Compiled} from '../model/options';
import type {FitParams} from '../spec/callback';
import type {BatchSource} from './batch-source';
import type {CallbackList} from './callback-list';
import {EpochState} from './epoch-state';
import {FitProgress} from './fit-progress';
import type {History} from './history';
import {createStep, type Inspect, type Step} from './train-step';
import type {FitContext} from '../spec/callback';

/** Keras' epoch iterator warning, kept as `history.stopReason` when a dataset runs dry. */
export const RAN_OUT_OF_DATA =
  'Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate ' +
  'at least `batchesPerEpoch * epochs` batches.';

/**
 * Trains `model` on the batches of `source` for epochs `params.initialEpoch
 * .. params.epochs - 1`, calling `callbacks` and recording each epoch's logs
 * in `history`, which it returns. The step is made at the first batch (a
 * dataset builds the model there). Closes `source`, also on error.
 */
export async function runEpochs(
  model: LoopModel,
  compiled: Compiled,
  source: BatchSource,
  params: FitParams,
  callbacks: CallbackList,
  history: History,
): Promise<History> {
  const progress = new FitProgress(model, params, params.initialEpoch);
  const {context} = progress;
  const hasBatchStart = callbacks.has('onBatchStart');
  const hasBatchEnd = callbacks.has('onBatchEnd');
  const inspects = callbacks.inspects;
  let step: Step | null = null;
  progress.attach(source, callbacks.callbacks);
  try {
    progress.inFitStart = true;
    try {
      await callbacks.call('onFitStart', context);
    } finally {
      progress.inFitStart = false;
    }
    // A fit continued from `context.resume(state)`: its epoch, step counter and callback states now.
    let resume = progress.takeResume();
    let dry = false;
    for (
      progress.epoch = resume?.epoch ?? params.initialEpoch;
      progress.epoch < params.epochs && !progress.stopRequested && !dry;
      progress.epoch++
    ) {
      const started = performance.now();
      progress.beginEpoch();
      await callbacks.call('onEpochStart', context);
      await source.beginEpoch();
      let firstBatch = 0;
      if (resume) {
        source.loadState(resume.data);
        firstBatch = resume.batch;
        resume = null;
      }
      const state = progress.accumulate(new EpochState(compiled.metrics, compiled.outputNames));
      let trained = 0;
      for (let batch = firstBatch; batch < params.stepsPerEpoch; batch++) {
        const sourced = await source.next(progress.steps);
        if (!sourced) {
          dry = source.stopsWhenDry;
          break;
        }
        try {
          progress.batch = batch;
          step ??= createStep(model, compiled, source.rng(), {trackPenalty: true});
          if (hasBatchStart) await callbacks.call('onBatchStart', context);
          const result = step(sourced.batch, inspects ? inspectorsOf(callbacks, progress.steps, context) : null);
          try {
            state.add(result);
          } finally {
            tf.dispose([result.pred, result.yb, result.wb] as tf.TensorContainer);
          }
        } finally {
          sourced.release();
        }
        progress.steps++;
        trained++;
        if (hasBatchEnd) {
          progress.inBatchEnd = true;
          try {
            await callbacks.call('onBatchEnd', context);
          } finally {
            progress.inBatchEnd = false;
          }
        }
        if (progress.stopRequested) break;
      }
      source.endEpoch();
      if (trained === 0) {
        progress.dropEpoch();
        if (!dry) throw source.noBatches(progress.epoch);
        break;
      }
      await progress.endEpoch(history, started, source.validate(progress.epoch));
      progress.inEpochEnd = true;
      try {
        await callbacks.call('onEpochEnd', context);
      } finally {
        progress.inEpochEnd = false;
      }
    }
    if (dry) progress.stopRequested ??= {reason: RAN_OUT_OF_DATA};
    history.stopReason = progress.stopRequested?.reason ?? null;
    await source.close();
    // Keras' `optimizer.finalize_variable_values(trainable_weights)` (e.g. EMA weights), before the train-end callbacks.
    compiled.optimizer.finalize(Object.fromEntries(model.trainableWeights.map((w) => [w.name, w.variable])));
    await callbacks.call('onFitEnd', context);
    return history;
  } catch (error) {
    await callbacks.error(context, error);
    throw error;
  } finally {
    progress.dropEpoch();
    // On an error the source's own closing errors are secondary.
    await source.close().catch(() => undefined);
  }
}

/** The inspection of optimizer step `step` for the callbacks that asked for it, or null. */
function inspectorsOf(callbacks: CallbackList, step: number, context: FitContext): Inspect | null {
  const inspectors = callbacks.inspectors(step);
  if (inspectors.length === 0) return null;
  return (inspection) => {
    for (const cb of inspectors) cb.onStepInspect!(context, inspection);
  };
}
