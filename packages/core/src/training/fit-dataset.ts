/**
 * `model.fitDataset`: the fit loop over streamed batches (Keras' `fit` on a
 * generator or `tf.data.Dataset`). Same step, logs, History and callbacks as
 * `fit`; losses and metric states stay on the device and are read back once
 * per epoch, or when a callback asks.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, describe} from '../errors';
import {checkOptions} from '../options-check';
import {ensureGradients} from '../gradients';
import type {Model} from '../model/model';
import type {Compiled} from '../model/options';
import {createRng, nextSeed} from '../seed';
import type {FitParams} from '../spec/callback';
import {CallbackList} from './callback-list';
import {BatchReader, cardinalityOf, isTensorTuple, takeBatch, type Dataset, type FitDatasetOptions, type RawBatch} from './dataset';
import {evaluateDataset} from './evaluate-dataset';
import {EpochState} from './epoch-state';
import {FitProgress} from './fit-progress';
import {withBuiltInCallbacks} from './built-in-callbacks';
import {evaluateOnDevice} from './evaluate';
import {prepareData, type Rows} from './fit-data';
import {History} from './history';
import {checkEpochRange, nonNegativeInteger, positiveInteger, release, type OwnedTensor} from './inputs';
import {streamRows} from './stream-batch';
import {createStep, type Step} from './train-step';

/** Keras' epoch iterator warning, kept as `history.stopReason` when a dataset runs dry. */
export const RAN_OUT_OF_DATA =
  'Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate ' +
  'at least `batchesPerEpoch * epochs` batches.';

/** Runs `model.fitDataset`. @internal */
export async function runFitDataset(
  model: Model,
  compiled: Compiled,
  dataset: Dataset,
  options: FitDatasetOptions,
  history: History = new History(),
  began: () => void = () => {},
): Promise<History> {
  checkOptions('fitDataset', options, FIT_DATASET_OPTION_KEYS);
  if (dataset === null || (typeof dataset !== 'object' && typeof dataset !== 'function')) {
    throw new ConfigError(`fitDataset: the dataset must be an iterable of batches or a function returning one; got ${describe(dataset)}.`);
  }
  const epochs = nonNegativeInteger(options.epochs ?? 1, 'epochs');
  const initialEpoch = nonNegativeInteger(options.initialEpoch ?? 0, 'initialEpoch');
  checkEpochRange(initialEpoch, epochs);
  const validationBatchSize = positiveInteger(options.validationBatchSize ?? 32, 'validationBatchSize');
  const batchesPerEpoch = options.batchesPerEpoch === undefined ? null : positiveInteger(options.batchesPerEpoch, 'batchesPerEpoch');
  const cardinality = cardinalityOf(dataset);
  if (batchesPerEpoch === null && (cardinality === null || cardinality === Infinity)) {
    throw new ConfigError(
      `fitDataset: the dataset's size is ${cardinality === Infinity ? 'infinite' : 'unknown'}, so an epoch has no end. ` +
        'Pass batchesPerEpoch (Keras\' steps_per_epoch), or give the dataset a finite `cardinality` (batches per pass).',
    );
  }
  const validationBatches = options.validationBatches === undefined ? null : positiveInteger(options.validationBatches, 'validationBatches');
  const {validationData} = options;
  if (validationData !== undefined && isTensorTuple(validationData)) {
    const items = validationData as readonly unknown[];
    if (items.length !== 2 && items.length !== 3) {
      throw new ConfigError(`validationData must be [x, y], [x, y, sampleWeight] or a dataset; got an array of ${items.length} items.`);
    }
  } else if (validationData !== undefined) {
    if (validationData === null || (typeof validationData !== 'object' && typeof validationData !== 'function')) {
      throw new ConfigError(`validationData must be [x, y], [x, y, sampleWeight] or a dataset; got ${describe(validationData)}.`);
    }
    const validationSize = cardinalityOf(validationData as Dataset);
    if (validationBatches === null && (validationSize === null || validationSize === Infinity)) {
      throw new ConfigError(
        `fitDataset: the validation dataset's size is ${validationSize === Infinity ? 'infinite' : 'unknown (a generator or iterator without a cardinality)'}, ` +
          'so validation might never end. Pass validationBatches (Keras\' validation_steps), or give the validation dataset a finite `cardinality` (batches per pass).',
      );
    }
  }
  const callbacks = new CallbackList(withBuiltInCallbacks(options));
  ensureGradients();
  const loop: Loop = {
    epochs,
    initialEpoch,
    validationBatchSize,
    validationBatches,
    batchesPerEpoch,
    cardinality,
    keepBatches: options.keepBatches ?? false,
  };
  const trainer = new BatchTrainer(model, compiled, options);
  try {
    began();
    return await trainEpochs(model, compiled, dataset, loop, trainer, callbacks, history);
  } finally {
    trainer.dispose();
  }
}

/** Every option `fitDataset` reads (see {@link FitDatasetOptions}). */
const FIT_DATASET_OPTION_KEYS = [
  'epochs', 'initialEpoch', 'batchesPerEpoch', 'validationData', 'validationBatchSize', 'validationBatches',
  'classWeight', 'callbacks', 'verbose', 'print', 'yieldEvery', 'keepBatches',
] as const satisfies readonly (keyof FitDatasetOptions)[];

/** Fails to compile when {@link FIT_DATASET_OPTION_KEYS} misses an option of {@link FitDatasetOptions}. */
const _everyOption: Exclude<keyof FitDatasetOptions, (typeof FIT_DATASET_OPTION_KEYS)[number]> extends never ? true : never = true;
void _everyOption;

type Loop = {
  readonly epochs: number;
  readonly initialEpoch: number;
  readonly validationBatchSize: number;
  readonly validationBatches: number | null;
  readonly batchesPerEpoch: number | null;
  readonly cardinality: number | null;
  readonly keepBatches: boolean;
};

/**
 * Checks and trains on one batch at a time. Builds the model from the first
 * batch, then converts the validation data (once).
 */
class BatchTrainer {
  #step: Step | null = null;
  #validation: {rows: Rows; owned: OwnedTensor[]} | null = null;

  constructor(
    readonly model: Model,
    readonly compiled: Compiled,
    readonly options: FitDatasetOptions,
  ) {}

  get validation(): Rows | null {
    return this.#validation?.rows ?? null;
  }

  /** The validation dataset, when `validationData` is one. */
  get validationStream(): Dataset | null {
    const data = this.options.validationData;
    return data === undefined || isTensorTuple(data) ? null : (data as Dataset);
  }

  /**
   * One training step on `batch`; returns the step's loss, predictions and
   * targets (owned by the caller). Disposes what it converted, not the batch.
   * @throws ShapeError / DTypeError / DataError / ConfigError for a bad batch.
   */
  train(batch: RawBatch, index: number): ReturnType<Step> & {size: number} {
    const {rows, owned} = streamRows(this.model, this.compiled, batch, `fitDataset batch ${index}`, this.options.classWeight);
    try {
      this.#prepare();
      return {...this.#step!(rows.x, rows.y, rows.w, null, 0, rows.count), size: rows.count};
    } finally {
      for (const t of owned) release(t);
    }
  }

  #prepare(): void {
    if (this.#step) return;
    const {model, compiled, options} = this;
    if (options.validationData !== undefined && isTensorTuple(options.validationData)) {
      const [xVal, yVal, wVal] = options.validationData;
      const data = prepareData(model, compiled.losses, xVal, yVal, {split: 0, sampleWeight: wVal});
      this.#validation = {rows: data.train, owned: data.owned};
    }
    this.#step = createStep(model, compiled, createRng(nextSeed()), {trackPenalty: true});
  }

  dispose(): void {
    for (const t of this.#validation?.owned ?? []) release(t);
    this.#validation = null;
  }
}

async function trainEpochs(
  model: Model,
  compiled: Compiled,
  dataset: Dataset,
  options: Loop,
  trainer: BatchTrainer,
  callbacks: CallbackList,
  history: History,
): Promise<History> {
  const {batchesPerEpoch, cardinality} = options;
  const stepsPerEpoch = batchesPerEpoch ?? cardinality!;
  const params: FitParams = {
    epochs: options.epochs,
    initialEpoch: options.initialEpoch,
    // A stream's batch size and sample count are not known in advance.
    batchSize: 0,
    samples: 0,
    stepsPerEpoch,
    validationSamples: 0,
  };
  let reader: BatchReader | null = null;

  const progress = new FitProgress(model, params, options.initialEpoch);
  const context = progress.context;

  /** Whether the next epoch starts a new pass (Keras' epoch iterator: always without steps_per_epoch, or once a pass of known size is used up). */
  const newPass = () =>
    reader === null ||
    typeof dataset === 'function' ||
    batchesPerEpoch === null ||
    (cardinality !== null && cardinality !== Infinity && reader.read >= cardinality);

  try {
    await callbacks.call('onFitStart', context);
    let ranDry = false;
    for (progress.epoch = options.initialEpoch; progress.epoch < options.epochs && !progress.stopRequested && !ranDry; progress.epoch++) {
      const started = performance.now();
      progress.epochLogs = null;
      progress.batch = 0;
      await callbacks.call('onEpochStart', context);
      if (newPass()) {
        await reader?.close();
        reader = null;
        reader = new BatchReader(dataset);
      }
      progress.epochState = new EpochState(compiled.metrics, compiled.outputNames);
      const hasBatchStart = callbacks.has('onBatchStart');
      const hasBatchEnd = callbacks.has('onBatchEnd');
      let trained = 0;
      let exhausted = false;
      for (progress.batch = 0; progress.batch < stepsPerEpoch; progress.batch++) {
        const value = await reader!.next();
        if (value === null) {
          exhausted = true;
          if (batchesPerEpoch !== null) ranDry = true;
          break;
        }
        const raw = takeBatch(value, progress.steps, options.keepBatches);
        try {
          if (hasBatchStart) await callbacks.call('onBatchStart', context);
          const {loss, pred, yb, wb, outputLosses, penalty, size} = trainer.train(raw, progress.steps);
          try {
            progress.epochState.add(loss, size, yb, pred, penalty, wb, outputLosses);
          } finally {
            tf.dispose([pred, yb, wb] as tf.TensorContainer);
          }
        } finally {
          if (!options.keepBatches) tf.dispose([raw.x, raw.y, raw.w] as tf.TensorContainer);
        }
        progress.steps++;
        trained++;
        if (hasBatchEnd) await callbacks.call('onBatchEnd', context);
        if (progress.stopRequested) break;
      }
      progress.batch = Math.max(0, progress.batch - (progress.batch === stepsPerEpoch || exhausted ? 1 : 0));
      if (trained === 0) {
        progress.epochState.dispose();
        progress.epochState = null;
        if (!ranDry) {
          throw new ConfigError(`fitDataset: the dataset yielded no batches in epoch ${progress.epoch}; it must yield at least one per epoch.`);
        }
        break;
      }
      const validation = trainer.validation;
      const validationStream = trainer.validationStream;
      await progress.endEpoch(
        history,
        started,
        validation
          ? async () => evaluateOnDevice(model, validation, options.validationBatchSize, compiled, 'val_')
          : validationStream
            ? () => evaluateDataset(model, compiled, validationStream, options.validationBatches, options.keepBatches, 'val_')
            : null,
      );
      await callbacks.call('onEpochEnd', context);
    }
    if (ranDry) progress.stopRequested ??= {reason: RAN_OUT_OF_DATA};
    history.stopReason = (progress.stopRequested as {reason: string} | null)?.reason ?? null;
    await reader?.close();
    reader = null;
    // Keras' `optimizer.finalize_variable_values(trainable_weights)` (e.g. EMA weights), before the train-end callbacks.
    compiled.optimizer.finalize(Object.fromEntries(model.trainableWeights.map((w) => [w.name, w.variable])));
    await callbacks.call('onFitEnd', context);
    return history;
  } catch (error) {
    await callbacks.error(context, error);
    throw error;
  } finally {
    (progress.epochState as EpochState | null)?.dispose();
    // Ends a generator left open by an error (runs its `finally`); its own errors are secondary.
    await (reader as BatchReader | null)?.close().catch(() => undefined);
  }
}
