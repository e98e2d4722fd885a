/**
 * The fit loop. One `tf.tidy` per step; losses and metric states stay on the
 * device and are read back once per epoch, or when a callback asks.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, describe} from '../errors';
import {checkOptions} from '../options-check';
import {ensureGradients} from '../gradients';
import type {Model} from '../model/model';
import type {Compiled, FitOptions} from '../model/options';
import {createRng, nextSeed} from '../seed';
import type {FitParams} from '../spec/callback';
import {BatchStream, type Shuffle} from './batch-stream';
import {withBuiltInCallbacks} from './built-in-callbacks';
import {CallbackList} from './callback-list';
import {EpochState} from './epoch-state';
import {FitProgress} from './fit-progress';
import {evaluateOnDevice} from './evaluate';
import {prepareData, type FitData} from './fit-data';
import {History} from './history';
import {checkEpochRange, nonNegativeInteger, positiveInteger, release} from './inputs';
import {createStep} from './train-step';

/** Runs `model.fit`. @internal */
export async function runFit(
  model: Model,
  compiled: Compiled,
  xIn: unknown,
  yIn: unknown,
  options: FitOptions,
  history: History = new History(),
  began: () => void = () => {},
): Promise<History> {
  checkOptions('fit', options, FIT_OPTION_KEYS);
  const epochs = nonNegativeInteger(options.epochs ?? 1, 'epochs');
  const batchSize = positiveInteger(options.batchSize ?? 32, 'batchSize');
  const initialEpoch = nonNegativeInteger(options.initialEpoch ?? 0, 'initialEpoch');
  checkEpochRange(initialEpoch, epochs);
  const shuffle = options.shuffle ?? true;
  if (typeof shuffle !== 'boolean' && shuffle !== 'batch') {
    throw new ConfigError(`shuffle must be true, false or 'batch'; got ${describe(shuffle)}.`);
  }
  const validationFreq = positiveInteger(options.validationFreq ?? 1, 'validationFreq');
  const validationBatchSize = positiveInteger(options.validationBatchSize ?? batchSize, 'validationBatchSize');
  const stepsPerEpoch = options.stepsPerEpoch === undefined ? null : positiveInteger(options.stepsPerEpoch, 'stepsPerEpoch');
  const split = options.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) {
    throw new ConfigError(`validationSplit must be a number in [0, 1); got ${describe(split)}.`);
  }
  if (options.validationData !== undefined && split > 0) {
    throw new ConfigError('Pass validationData or validationSplit, not both.');
  }
  const callbacks = new CallbackList(withBuiltInCallbacks(options));
  ensureGradients();

  const data = prepareData(model, compiled.losses, xIn, yIn, {
    split,
    validationData: options.validationData,
    sampleWeight: options.sampleWeight,
    classWeight: options.classWeight,
  });
  try {
    const loop = {epochs, batchSize, initialEpoch, shuffle, validationFreq, validationBatchSize, stepsPerEpoch};
    began();
    return await trainEpochs(model, compiled, data, loop, callbacks, history);
  } finally {
    for (const t of data.owned) release(t);
  }
}

/** Every option `fit` reads (see {@link FitOptions}). */
export const FIT_OPTION_KEYS = [
  'epochs', 'batchSize', 'shuffle', 'stepsPerEpoch', 'validationData', 'validationSplit', 'validationFreq',
  'validationBatchSize', 'sampleWeight', 'classWeight', 'callbacks', 'initialEpoch', 'verbose', 'print', 'yieldEvery',
] as const satisfies readonly (keyof FitOptions)[];

/** Fails to compile when {@link FIT_OPTION_KEYS} misses an option of {@link FitOptions}. */
const _everyFitOption: Exclude<keyof FitOptions, (typeof FIT_OPTION_KEYS)[number]> extends never ? true : never = true;
void _everyFitOption;

type LoopOptions = {
  epochs: number;
  batchSize: number;
  initialEpoch: number;
  shuffle: Shuffle;
  validationFreq: number;
  validationBatchSize: number;
  stepsPerEpoch: number | null;
};

async function trainEpochs(
  model: Model,
  compiled: Compiled,
  data: FitData,
  options: LoopOptions,
  callbacks: CallbackList,
  history: History,
): Promise<History> {
  const {train, validation} = data;
  const {x, y, w} = train;
  const n = train.count;
  const {batchSize} = options;
  const rng = createRng(nextSeed());
  const stream = new BatchStream(n, batchSize, options.shuffle, rng);
  const stepsPerEpoch = options.stepsPerEpoch ?? stream.batchesPerPass;
  const params: FitParams = {
    epochs: options.epochs,
    initialEpoch: options.initialEpoch,
    batchSize,
    samples: n,
    stepsPerEpoch,
    validationSamples: validation?.count ?? 0,
  };
  const step = createStep(model, compiled, rng, {trackPenalty: true});

  const progress = new FitProgress(model, params, options.initialEpoch);
  const context = progress.context;

  try {
    await callbacks.call('onFitStart', context);
    // Keras' `range(initial_epoch, epochs)`.
    for (progress.epoch = options.initialEpoch; progress.epoch < options.epochs && !progress.stopRequested; progress.epoch++) {
      const started = performance.now();
      progress.epochLogs = null;
      progress.batch = 0;
      await callbacks.call('onEpochStart', context);
      progress.epochState = new EpochState(compiled.metrics, compiled.outputNames);
      if (options.stepsPerEpoch === null) stream.restart();
      const hasBatchStart = callbacks.has('onBatchStart');
      const hasBatchEnd = callbacks.has('onBatchEnd');
      let ranOut = false;
      for (progress.batch = 0; progress.batch < stepsPerEpoch; progress.batch++) {
        const rows = stream.next();
        if (!rows) {
          ranOut = true;
          break;
        }
        if (hasBatchStart) await callbacks.call('onBatchStart', context);
        const {loss, pred, yb, wb, outputLosses, penalty} = step(x, y, w, rows.indices, rows.start, rows.size);
        try {
          progress.epochState.add(loss, rows.size, yb, pred, penalty, wb, outputLosses);
        } finally {
          tf.dispose([pred, yb, wb] as tf.TensorContainer);
        }
        progress.steps++;
        if (hasBatchEnd) await callbacks.call('onBatchEnd', context);
        if (progress.stopRequested) break;
      }
      stream.endEpoch();
      progress.batch = Math.max(0, progress.batch - (progress.batch === stepsPerEpoch || ranOut ? 1 : 0));
      // Keras' `_should_eval`: every `validationFreq`-th epoch, counted from 1.
      const validates = validation !== null && (progress.epoch + 1) % options.validationFreq === 0;
      await progress.endEpoch(
        history,
        started,
        validates ? async () => evaluateOnDevice(model, validation, options.validationBatchSize, compiled, 'val_') : null,
      );
      await callbacks.call('onEpochEnd', context);
    }
    history.stopReason = (progress.stopRequested as {reason: string} | null)?.reason ?? null;
    // Keras' `optimizer.finalize_variable_values(trainable_weights)` (e.g. EMA weights), before the train-end callbacks.
    compiled.optimizer.finalize(Object.fromEntries(model.trainableWeights.map((w) => [w.name, w.variable])));
    await callbacks.call('onFitEnd', context);
    return history;
  } catch (error) {
    await callbacks.error(context, error);
    throw error;
  } finally {
    (progress.epochState as EpochState | null)?.dispose();
  }
}

