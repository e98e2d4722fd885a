/**
 * The fit callback that runs a learning-rate range test: it sets each
 * step's rate, reads each step's loss back and stops the fit.
 * @module
 */
import {StateError, type Callback} from '@trellis/core';
import type {ResolvedLrFinderOptions} from './options';

/** Why a range test ended. */
export type LrFinderStopReason = 'completed' | 'diverged' | 'nonFinite';

/** The curve a range test records, one entry per step. */
export type LrCurve = {
  readonly learningRates: number[];
  readonly losses: number[];
  readonly smoothedLosses: number[];
  stopReason: LrFinderStopReason;
};

/**
 * The rate of step `step` of `numSteps`: `minLr · (maxLr / minLr)^(step / (numSteps − 1))`,
 * so step 0 trains at `minLr` and the last step at `maxLr`.
 */
export function rangeTestRate(
  step: number,
  {minLr, maxLr, numSteps}: Pick<ResolvedLrFinderOptions, 'minLr' | 'maxLr' | 'numSteps'>,
): number {
  return minLr * (maxLr / minLr) ** (step / (numSteps - 1));
}

/**
 * A callback for one range test and the curve it fills. `onFitStart` calls
 * `onStart` (to copy the model before the first step); before each batch
 * the optimizer's rate is set to {@link rangeTestRate}; after it the batch
 * loss is read back (one scalar readback per step), smoothed, recorded,
 * and the fit is stopped after `numSteps` steps, at a non-finite loss, or
 * once the smoothed loss passes `divergenceFactor` times the best.
 */
export function rangeTestCallback(options: ResolvedLrFinderOptions, onStart: () => void): {callback: Callback; curve: LrCurve} {
  const {numSteps, smoothing: beta, divergenceFactor} = options;
  const curve: LrCurve = {learningRates: [], losses: [], smoothedLosses: [], stopReason: 'completed'};
  let average = 0;
  let best = Number.POSITIVE_INFINITY;
  const callback: Callback = {
    name: 'lrFinder',
    onFitStart: onStart,
    onBatchStart(context) {
      const rate = rangeTestRate(curve.learningRates.length, options);
      context.model.optimizer.setLearningRate(rate);
      curve.learningRates.push(rate);
    },
    async onBatchEnd(context) {
      const {batch_loss: loss} = await context.readLogs(['batch_loss']);
      if (loss === undefined) throw new StateError('lrFinder: the fit did not report a batch loss (batch_loss) after a step.');
      curve.losses.push(loss);
      average = beta * average + (1 - beta) * loss;
      const smoothed = average / (1 - beta ** curve.losses.length);
      curve.smoothedLosses.push(smoothed);
      if (smoothed < best) best = smoothed;
      if (!Number.isFinite(loss) || !Number.isFinite(smoothed)) curve.stopReason = 'nonFinite';
      else if (best > 0 && smoothed > divergenceFactor * best) curve.stopReason = 'diverged';
      else if (curve.losses.length < numSteps) return;
      context.stop(`lrFinder: ${curve.stopReason} after ${curve.losses.length} steps`);
    },
  };
  return {callback, curve};
}
