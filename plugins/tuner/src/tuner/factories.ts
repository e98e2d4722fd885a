/**
 * The tuners: `randomSearch`, `gridSearch`, `hyperband` and
 * `bayesianOptimization` (Keras Tuner's `RandomSearch`, `GridSearch`,
 * `Hyperband` and `BayesianOptimization`).
 * @module
 */
import {ConfigError, checkNumber, checkOptions, describeValue, optionKeys} from '@trellis/core';
import {toObjective} from '../objective';
import {bayesianOracle, type Acquisition} from '../oracles/bayesian';
import {gridSearchOracle} from '../oracles/grid-search';
import {checkHyperband, hyperbandOracle} from '../oracles/hyperband';
import {randomSearchOracle} from '../oracles/random-search';
import {TUNER_KEYS, checkTunerOptions, type TunerOptions} from './options';
import {Tuner} from './tuner';

/** Options of {@link randomSearch}. */
export type RandomSearchOptions = TunerOptions & {
  /** The number of trials (default 10). */
  readonly maxTrials?: number;
};

/** Options of {@link gridSearch}. */
export type GridSearchOptions = TunerOptions & {
  /** The most trials (default: the whole grid). */
  readonly maxTrials?: number;
};

/** Options of {@link hyperband}. */
export type HyperbandOptions = TunerOptions & {
  /** The most epochs one model trains (default 100); set it a little above the epochs your largest model needs. */
  readonly maxEpochs?: number;
  /** The reduction factor of trials and growth factor of epochs between rounds (an integer >= 2; default 3). */
  readonly factor?: number;
  /** Passes over all brackets (default 1); one pass trains about `maxEpochs · log_factor(maxEpochs)²` epochs. */
  readonly hyperbandIterations?: number;
};

/** Options of {@link bayesianOptimization}. */
export type BayesianOptimizationOptions = TunerOptions & {
  /** The number of trials (default 10). */
  readonly maxTrials?: number;
  /** Random trials before the Gaussian process guides the search (default: 3 per hyperparameter, at least 3). */
  readonly numInitialPoints?: number;
  /** Noise variance of the Gaussian process, in units of the scores' variance (default 1e-4). */
  readonly alpha?: number;
  /** How much the confidence bound trusts uncertainty (default 2.6). */
  readonly beta?: number;
  /** `'ucb'` (default, Keras Tuner's confidence bound) or `'ei'` (expected improvement). */
  readonly acquisition?: Acquisition;
};

const RANDOM_KEYS = [...TUNER_KEYS, ...optionKeys<Omit<RandomSearchOptions, keyof TunerOptions>>({maxTrials: true})];
const GRID_KEYS = RANDOM_KEYS;
const HYPERBAND_KEYS = [
  ...TUNER_KEYS,
  ...optionKeys<Omit<HyperbandOptions, keyof TunerOptions>>({maxEpochs: true, factor: true, hyperbandIterations: true}),
];
const BAYESIAN_KEYS = [
  ...TUNER_KEYS,
  ...optionKeys<Omit<BayesianOptimizationOptions, keyof TunerOptions>>({
    maxTrials: true,
    numInitialPoints: true,
    alpha: true,
    beta: true,
    acquisition: true,
  }),
];

function checked<T extends TunerOptions>(who: string, options: T, keys: readonly string[]): T {
  if (options === undefined || options === null) {
    throw new ConfigError(
      `${who} needs options such as {buildModel, objective: 'val_accuracy', maxTrials: 10}; got ${describeValue(options)}.`,
    );
  }
  return checkOptions(who, options, keys) as T;
}

/**
 * Random search (Keras Tuner's `RandomSearch`): `maxTrials` trials, each
 * with every hyperparameter drawn at random in its sampling.
 *
 * @example
 * const tuner = randomSearch({buildModel, objective: 'val_accuracy', maxTrials: 20, seed: 1});
 * await tuner.search(x, y, {epochs: 5, validationSplit: 0.2});
 * const [best] = tuner.getBestHyperparameters();
 */
export function randomSearch(options: RandomSearchOptions): Tuner {
  const o = checked('randomSearch', options, RANDOM_KEYS);
  const maxTrials = checkNumber('randomSearch', 'maxTrials', o.maxTrials ?? 10, {min: 1, integer: true});
  return new Tuner(checkTunerOptions('randomSearch', o), randomSearchOracle(maxTrials), toObjective(o.objective));
}

/**
 * Grid search (Keras Tuner's `GridSearch`): every combination of the
 * hyperparameters' values once (a continuous float counts 10 values; give
 * it a `step` to choose them), in order, the last hyperparameter fastest.
 */
export function gridSearch(options: GridSearchOptions): Tuner {
  const o = checked('gridSearch', options, GRID_KEYS);
  const maxTrials = o.maxTrials === undefined ? null : checkNumber('gridSearch', 'maxTrials', o.maxTrials, {min: 1, integer: true});
  return new Tuner(checkTunerOptions('gridSearch', o), gridSearchOracle(maxTrials), toObjective(o.objective));
}

/**
 * Hyperband (Keras Tuner's `Hyperband`): brackets of successive halving.
 * Trials of a bracket's first round train a few epochs; each later round
 * continues the best `1/factor` of them, from their best epoch's weights,
 * with `factor` times more epochs, up to `maxEpochs`. `fitOptions.epochs`
 * is ignored (each trial's epochs come from the schedule:
 * `hyperbandSchedule`).
 */
export function hyperband(options: HyperbandOptions): Tuner {
  const o = checked('hyperband', options, HYPERBAND_KEYS);
  return new Tuner(checkTunerOptions('hyperband', o), hyperbandOracle(checkHyperband('hyperband', o)), toObjective(o.objective));
}

/**
 * Bayesian optimization (Keras Tuner's `BayesianOptimization`): random
 * trials first, then each trial where a Gaussian process (Matérn 5/2
 * kernel) fitted to the scores so far gives the best confidence bound
 * (`mean − beta · std` of a minimized score) or expected improvement.
 * In a parallel search the model-guided trials wait for every earlier one,
 * so the results equal a sequential search's.
 */
export function bayesianOptimization(options: BayesianOptimizationOptions): Tuner {
  const who = 'bayesianOptimization';
  const o = checked(who, options, BAYESIAN_KEYS);
  const acquisition = o.acquisition ?? 'ucb';
  if (acquisition !== 'ucb' && acquisition !== 'ei') {
    throw new ConfigError(`${who}: acquisition must be 'ucb' or 'ei'; got ${describeValue(o.acquisition)}.`);
  }
  const oracle = bayesianOracle({
    maxTrials: checkNumber(who, 'maxTrials', o.maxTrials ?? 10, {min: 1, integer: true}),
    numInitialPoints:
      o.numInitialPoints === undefined ? null : checkNumber(who, 'numInitialPoints', o.numInitialPoints, {min: 1, integer: true}),
    alpha: checkNumber(who, 'alpha', o.alpha ?? 1e-4, {min: 0, minExclusive: true}),
    beta: checkNumber(who, 'beta', o.beta ?? 2.6, {min: 0}),
    acquisition,
  });
  return new Tuner(checkTunerOptions(who, o), oracle, toObjective(o.objective));
}
