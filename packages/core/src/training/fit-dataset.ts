/**
 * `model.fitDataset`: the fit loop over streamed batches (Keras' `fit` on a
 * generator or `tf.data.Dataset`). Same step, logs, History and callbacks as
 * `fit`; losses and metric states stay on the device and are read back once
 * per epoch, or when a callback asks.
 * @module
 */
import {ConfigError, describe} from '../errors';
import {checkOptions, optionKeys} from '../options-check';
import {ensureGradients} from '../gradients';
import type {FitParams} from '../spec/callback';
import {CallbackList} from './callback-list';
import {cardinalityOf, isTensorTuple, type Dataset, type FitDatasetOptions} from './dataset';
import {datasetSource} from './dataset-source';
import {runEpochs} from './epoch-loop';
import {withBuiltInCallbacks} from './built-in-callbacks';
import type {History} from './history';
import type {TrainingRun} from './training-run';
import {checkEpochRange, nonNegativeInteger, positiveInteger} from './inputs';

export {RAN_OUT_OF_DATA} from './epoch-loop';

/** Runs `model.fitDataset`. @internal */
export async function runFitDataset(run: TrainingRun, dataset: Dataset, options: FitDatasetOptions): Promise<History> {
  const {model, compiled, history, began} = run;
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
        "Pass batchesPerEpoch (Keras' steps_per_epoch), or give the dataset a finite `cardinality` (batches per pass).",
    );
  }
  const validationBatches =
    options.validationBatches === undefined ? null : positiveInteger(options.validationBatches, 'validationBatches');
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
          "so validation might never end. Pass validationBatches (Keras' validation_steps), or give the validation dataset a finite `cardinality` (batches per pass).",
      );
    }
  }
  const callbacks = new CallbackList(withBuiltInCallbacks(options));
  ensureGradients();
  const loop = {batchesPerEpoch, cardinality, validationBatchSize, validationBatches, keepBatches: options.keepBatches ?? false};
  const source = datasetSource(model, compiled, dataset, loop, options);
  // A stream's batch size and sample count are not known in advance.
  const params: FitParams = {epochs, initialEpoch, batchSize: 0, samples: 0, stepsPerEpoch: source.stepsPerEpoch, validationSamples: 0};
  began();
  return await runEpochs(model, compiled, source, params, callbacks, history);
}

/** Every option `fitDataset` reads (see {@link FitDatasetOptions}); a key missing from the type or the list is a compile error. */
const FIT_DATASET_OPTION_KEYS = optionKeys<FitDatasetOptions>({
  epochs: true,
  initialEpoch: true,
  batchesPerEpoch: true,
  validationData: true,
  validationBatchSize: true,
  validationBatches: true,
  classWeight: true,
  callbacks: true,
  verbose: true,
  print: true,
  yieldEvery: true,
  keepBatches: true,
});
