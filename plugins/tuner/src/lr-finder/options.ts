/**
 * The options of `lrFinder`, their defaults and their checks.
 * @module
 */
import {ConfigError, checkNumber, checkOptions, describe, optionKeys, type Shuffle} from '@trellis/core';

/** Which suggestion {@link LrFinderResult.suggested} holds. */
export type LrSuggestionName = 'steepest' | 'minimumDividedBy10';

/** Options of `lrFinder` (fastai's `lr_find` arguments, camelCase, plus the smoothing and stop rules it hard-codes). */
export type LrFinderOptions = {
  /** The learning rate of the first step; > 0, default 1e-7 (fastai's `start_lr`). */
  readonly minLr?: number;
  /** The learning rate of the last step; > `minLr`, default 10 (fastai's `end_lr`). */
  readonly maxLr?: number;
  /**
   * Steps (batches) at most, the rate growing exponentially from `minLr`
   * (step 0) to `maxLr` (step `numSteps - 1`); an integer >= 2, default 100.
   * The data is passed over as many times as needed.
   */
  readonly numSteps?: number;
  /** Samples per step; default 32 (as `fit`). */
  readonly batchSize?: number;
  /** Shuffling of the samples, as `fit`'s `shuffle`; default true. */
  readonly shuffle?: Shuffle;
  /**
   * β of the smoothed loss, an exponential moving average with bias
   * correction, `s_t = (β·a_{t-1} + (1 − β)·loss_t) / (1 − β^t)`; in [0, 1),
   * default 0.98 (fastai's). 0 leaves the loss as it is.
   */
  readonly smoothing?: number;
  /**
   * The test stops once the smoothed loss exceeds `divergenceFactor` times
   * the lowest smoothed loss so far (only while that lowest loss is > 0);
   * > 1, default 4 (fastai's). `Infinity` never stops for that reason. A
   * NaN or infinite loss always stops it.
   */
  readonly divergenceFactor?: number;
  /** Steps left out at the start of the curve when suggesting a rate; default `floor(numSteps / 10)` (fastai's). */
  readonly skipStart?: number;
  /** Steps left out at the end of the recorded curve when suggesting a rate; default 5 (fastai's). */
  readonly skipEnd?: number;
  /**
   * Which suggestion becomes `suggested`; default `'steepest'`. With 100
   * steps and β 0.98 the smoothed loss lags the raw one by tens of steps,
   * which moves its minimum to higher rates: `minimumDividedBy10` then tends
   * to come out too high (see the README's MNIST numbers).
   */
  readonly suggest?: LrSuggestionName;
};

/** The options with their defaults applied, checked. */
export type ResolvedLrFinderOptions = {
  readonly [K in keyof LrFinderOptions]-?: Exclude<LrFinderOptions[K], undefined>;
};

const KEYS = optionKeys<LrFinderOptions>({
  minLr: true,
  maxLr: true,
  numSteps: true,
  batchSize: true,
  shuffle: true,
  smoothing: true,
  divergenceFactor: true,
  skipStart: true,
  skipEnd: true,
  suggest: true,
});

const SUGGESTIONS: readonly LrSuggestionName[] = ['steepest', 'minimumDividedBy10'];

/**
 * `options` with defaults, each value checked.
 * @throws ConfigError for an unknown option or a value out of range
 *   (`minLr <= 0`, `maxLr <= minLr`, `numSteps < 2`, ...), naming it.
 */
export function resolveLrFinderOptions(who: string, options: LrFinderOptions | undefined): ResolvedLrFinderOptions {
  checkOptions(who, options, KEYS);
  const o = options ?? {};
  const minLr = checkNumber(who, 'minLr', o.minLr ?? 1e-7, {min: 0, minExclusive: true, example: 1e-7});
  const maxLr = checkNumber(who, 'maxLr', o.maxLr ?? 10, {min: 0, minExclusive: true, example: 10});
  if (maxLr <= minLr) {
    throw new ConfigError(
      `${who}: maxLr must be greater than minLr (the rate grows from minLr to maxLr); got minLr ${minLr} and maxLr ${maxLr}. ` +
        'For example minLr: 1e-7, maxLr: 10.',
    );
  }
  const numSteps = checkNumber(who, 'numSteps', o.numSteps ?? 100, {min: 2, integer: true, example: 100});
  const batchSize = checkNumber(who, 'batchSize', o.batchSize ?? 32, {min: 1, integer: true, example: 64});
  const shuffle = o.shuffle ?? true;
  if (typeof shuffle !== 'boolean' && shuffle !== 'batch') {
    throw new ConfigError(`${who}: shuffle must be true, false or 'batch' (as fit's); got ${describe(shuffle)}.`);
  }
  const smoothing = checkNumber(who, 'smoothing', o.smoothing ?? 0.98, {min: 0, max: 1, maxExclusive: true, example: 0.98});
  const divergenceFactor = o.divergenceFactor ?? 4;
  if (typeof divergenceFactor !== 'number' || Number.isNaN(divergenceFactor) || divergenceFactor <= 1) {
    throw new ConfigError(
      `${who}: divergenceFactor must be a number > 1 (Infinity: never stop on divergence); got ${describe(divergenceFactor)}. ` +
        'For example divergenceFactor: 4.',
    );
  }
  const skipStart = checkNumber(who, 'skipStart', o.skipStart ?? Math.floor(numSteps / 10), {min: 0, integer: true, example: 10});
  const skipEnd = checkNumber(who, 'skipEnd', o.skipEnd ?? 5, {min: 0, integer: true, example: 5});
  const suggest = o.suggest ?? 'steepest';
  if (!SUGGESTIONS.includes(suggest)) {
    throw new ConfigError(`${who}: suggest must be ${SUGGESTIONS.map((s) => `'${s}'`).join(' or ')}; got ${describe(suggest)}.`);
  }
  return {minLr, maxLr, numSteps, batchSize, shuffle, smoothing, divergenceFactor, skipStart, skipEnd, suggest};
}
