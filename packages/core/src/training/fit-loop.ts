/**
 * `model.fit` on arrays: its options, its data converted and checked once,
 * then the one epoch loop over an {@link arraySource}.
 * @module
 */
import {ConfigError, describe} from '../errors';
import {checkOptions, optionKeys} from '../options-check';
import {ensureGradients} from '../gradients';
import type {FitOptions} from '../model/options';
import type {FitParams} from '../spec/callback';
import {withBuiltInCallbacks} from './built-in-callbacks';
import {CallbackList} from './callback-list';
import {prepareData} from './fit-data';
import type {History} from './history';
import {arraySource} from './array-source';
import {runEpochs} from './epoch-loop';
import type {TrainingRun} from './training-run';
import {checkEpochRange, nonNegativeInteger, positiveInteger, release} from './inputs';

/** Runs `model.fit`. @internal */
export async function runFit(run: TrainingRun, xIn: unknown, yIn: unknown, options: FitOptions): Promise<History> {
  const {model, compiled, history, began} = run;
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

  const data = await prepareData(model, compiled.losses, xIn, yIn, {
    split,
    validationData: options.validationData,
    sampleWeight: options.sampleWeight,
    classWeight: options.classWeight,
  });
  try {
    const source = arraySource(model, compiled, data, {batchSize, shuffle, stepsPerEpoch, validationFreq, validationBatchSize});
    const params: FitParams = {
      epochs,
      initialEpoch,
      batchSize,
      samples: data.train.count,
      stepsPerEpoch: source.stepsPerEpoch,
      validationSamples: data.validation?.count ?? 0,
    };
    began();
    return await runEpochs(model, compiled, source, params, callbacks, history);
  } finally {
    for (const t of data.owned) release(t);
  }
}

/** Every option `fit` reads (see {@link FitOptions}); a key missing from the type or the list is a compile error. */
const FIT_OPTION_KEYS = optionKeys<FitOptions>({
  epochs: true,
  batchSize: true,
  shuffle: true,
  stepsPerEpoch: true,
  validationData: true,
  validationSplit: true,
  validationFreq: true,
  validationBatchSize: true,
  sampleWeight: true,
  classWeight: true,
  callbacks: true,
  initialEpoch: true,
  verbose: true,
  print: true,
  yieldEvery: true,
});
