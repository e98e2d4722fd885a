/**
 * `lrFinder`: the learning-rate range test (Smith 2015; fastai's `lr_find`).
 * @module
 */
import {ConfigError, StateError, describe, type AnyModel, type ModelData, type TensorInput} from '@trellis/core';
import {resolveLrFinderOptions, type LrFinderOptions, type LrSuggestionName} from './options';
import {rangeTestCallback, type LrFinderStopReason} from './range-test-callback';
import {suggestLearningRates, type LrSuggestions} from './suggest';
import {takeTrainingSnapshot, type TrainingSnapshot} from './training-snapshot';

export type {LrFinderOptions, LrFinderStopReason, LrSuggestionName, LrSuggestions};

/** What {@link lrFinder} returns: the curve, one entry per step trained, and the suggested rates. */
export interface LrFinderResult {
  /** The learning rate of each step, increasing exponentially from `minLr`. */
  readonly learningRates: readonly number[];
  /** The loss of each step's batch (penalties included), at the weights before that step's update. */
  readonly losses: readonly number[];
  /** The bias-corrected exponential moving average of `losses` (β = `smoothing`): the curve to plot. */
  readonly smoothedLosses: readonly number[];
  /** The suggested rates, or null when too few finite points are left after `skipStart`/`skipEnd`. */
  readonly suggestions: LrSuggestions | null;
  /** `suggestions[suggest]`, or null. */
  readonly suggested: number | null;
  /**
   * Why the test ended: `'completed'` (all `numSteps` steps),
   * `'diverged'` (the smoothed loss passed `divergenceFactor` × the best) or
   * `'nonFinite'` (the loss became NaN or infinite).
   */
  readonly stopReason: LrFinderStopReason;
}

const WHO = 'lrFinder';

/**
 * The learning-rate range test: trains `model` for up to `numSteps` steps
 * with `fit`, the learning rate growing exponentially from `minLr` to
 * `maxLr`, records each step's loss and its smoothed value, stops early when
 * the loss explodes, and then puts the model back exactly as it was. fastai's
 * `lr_find` is the reference (Keras has no such tool): same rate schedule,
 * smoothing, divergence rule and suggestions (`steepest` is fastai's
 * `steep`, `minimumDividedBy10` its `minimum`).
 *
 * Training runs through the model's own `fit` (loss, penalties, metrics,
 * dropout and constraints as in real training) with a callback that sets
 * the rate before each batch (`optimizer.setLearningRate`, also with a
 * schedule) and reads the batch loss back after it: one scalar readback
 * per step. Nothing is printed; no validation runs.
 *
 * Afterwards every weight (trainable or not) and the optimizer's state
 * (slots, step counter, learning rate) are restored bit for bit, also when
 * the fit throws. Copied at the start of the fit, so a model that is not
 * built yet is built from `x` first, as `fit` would. Not restored: the
 * global random stream (`fit` draws one seed from it for shuffling and
 * dropout) and `model.history`, which is the test's.
 *
 * Suggestions use the smoothed curve without its first `skipStart` and
 * last `skipEnd` points and up to its first non-finite value; `suggested`
 * is `steepest` unless `suggest` says otherwise. Pick the rate from the
 * plot when in doubt: the curve is the result, the suggestions a reading
 * of it.
 *
 * @param model - a compiled model whose optimizer has a learning rate.
 * @param x - the training inputs, as `fit` takes them (not disposed).
 * @param y - the targets, as `fit` takes them (not disposed).
 * @returns the curve and suggestions, plain numbers (no tensors).
 * @throws ConfigError for an unknown option or a value out of range
 *   (`minLr <= 0`, `maxLr <= minLr`, `numSteps < 2`, ...), or an optimizer
 *   without a learning rate; StateError for a model that is not compiled,
 *   disposed or already training; DataError (from `fit`) for empty or
 *   unusable data; whatever the fit throws, after the model is restored.
 *
 * @example
 * const {suggested, learningRates, smoothedLosses} = await lrFinder(model, x, y, {batchSize: 128});
 * model.optimizer.setLearningRate(suggested ?? 1e-3);
 *
 * @see https://arxiv.org/abs/1506.01186 (Smith, Cyclical Learning Rates for Training Neural Networks)
 */
export async function lrFinder(
  model: AnyModel,
  x: TensorInput | ModelData,
  y: TensorInput | ModelData,
  options: LrFinderOptions = {},
): Promise<LrFinderResult> {
  const resolved = resolveLrFinderOptions(WHO, options);
  checkModel(model);
  let snapshot: TrainingSnapshot | null = null;
  const {callback, curve} = rangeTestCallback(resolved, () => {
    snapshot = takeTrainingSnapshot(model);
  });
  try {
    await model.fit(x, y, {
      // An upper bound: each epoch holds at least one step, and the callback stops the fit after numSteps.
      epochs: resolved.numSteps,
      batchSize: resolved.batchSize,
      shuffle: resolved.shuffle,
      verbose: 0,
      callbacks: [callback],
    });
  } finally {
    const taken = snapshot as TrainingSnapshot | null;
    if (taken) {
      try {
        taken.restore();
      } finally {
        taken.dispose();
      }
    }
  }
  const suggestions = suggestLearningRates(curve.learningRates, curve.smoothedLosses, resolved.skipStart, resolved.skipEnd);
  return {
    learningRates: curve.learningRates,
    losses: curve.losses,
    smoothedLosses: curve.smoothedLosses,
    suggestions,
    suggested: suggestions ? suggestions[resolved.suggest] : null,
    stopReason: curve.stopReason,
  };
}

/** Throws unless `model` can run a range test: compiled, usable, idle, with a learning rate to set. */
function checkModel(model: AnyModel): void {
  if (model === null || typeof model !== 'object' || typeof (model as {fit?: unknown}).fit !== 'function') {
    throw new ConfigError(`${WHO} expects a Trellis model (new Sequential([...]) compiled with an optimizer); got ${describe(model)}.`);
  }
  if (model.disposed) {
    throw new StateError(`${WHO}: model '${model.name}' was disposed; run the range test on a live model.`);
  }
  if (model.training) {
    throw new StateError(`${WHO}: model '${model.name}' is training; await its fit before running the range test.`);
  }
  let rate: number | undefined;
  try {
    rate = model.optimizer.learningRate;
  } catch (cause) {
    throw new StateError(`${WHO}: model '${model.name}' is not compiled; call model.compile({optimizer, loss}) before the range test.`, {
      cause,
    });
  }
  if (rate === undefined) {
    throw new ConfigError(
      `${WHO}: the optimizer of model '${model.name}' has no learning rate to vary (a bare gradient transform); ` +
        'compile with one that has, e.g. adam({learningRate: 1e-3}).',
    );
  }
}
