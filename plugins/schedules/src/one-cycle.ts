/**
 * `oneCycle({...})`: PyTorch's `OneCycleLR` with cosine annealing.
 * @module
 */
import {ConfigError, type Schedule, optionKeys} from '@trellis/core';
import {defineSchedule} from './define-schedule';
import {checkNumber, checkOptions} from './validate';

/** Options of {@link oneCycle}: PyTorch `OneCycleLR` arguments in camelCase. */
export type OneCycleOptions = {
  /** The peak value, > 0 (required; PyTorch `max_lr`). */
  readonly maxLearningRate: number;
  /** Steps of the whole cycle, an integer >= 2 (required; PyTorch `total_steps`). */
  readonly totalSteps: number;
  /** The fraction of the cycle spent rising, in (0, 1) (default 0.3; PyTorch `pct_start`). */
  readonly pctStart?: number;
  /** The start value is `maxLearningRate / divFactor`, > 0 (default 25; PyTorch `div_factor`). */
  readonly divFactor?: number;
  /** The end value is the start value `/ finalDivFactor`, > 0 (default 1e4; PyTorch `final_div_factor`). */
  readonly finalDivFactor?: number;
};

const KEYS = optionKeys<OneCycleOptions>({maxLearningRate: true, totalSteps: true, pctStart: true, divFactor: true, finalDivFactor: true});

/** The JSON config in a {@link oneCycle} spec: every option, defaults filled in. */
export type OneCycleConfig = Required<OneCycleOptions>;

/**
 * The 1cycle policy (Smith & Topin 2017) as PyTorch's `OneCycleLR` computes it
 * with `anneal_strategy='cos'` and `three_phase=False` (the learning rate only;
 * momentum is not cycled):
 *
 * ```
 * start = maxLearningRate / divFactor,   end = start / finalDivFactor
 * P = pctStart · totalSteps − 1 (the peak's step),   E = totalSteps − 1 (the last step)
 * anneal(a, b, t) = b + (a − b) · ½ · (1 + cos(π · t))
 * step <= P:  lr(step) = anneal(start, maxLearningRate, step / P)
 * step > P:   lr(step) = anneal(maxLearningRate, end, (min(step, E) − P) / (E − P))
 * ```
 *
 * Step 0 (the first update) gets `start`, step `E` gets `end`, and later steps
 * stay at `end` (PyTorch refuses to step past `totalSteps`).
 *
 * Spec: `{id: 'trellis/oneCycle', config: {maxLearningRate, totalSteps, pctStart, divFactor, finalDivFactor}}`.
 * @throws ConfigError for unknown options, a missing required option,
 *   maxLearningRate <= 0, totalSteps not an integer >= 2, pctStart outside
 *   (0, 1), `pctStart · totalSteps <= 1` (no rising phase), or a factor <= 0.
 */
export function oneCycle(options: OneCycleOptions): Schedule<OneCycleConfig> {
  const who = 'oneCycle';
  const o = checkOptions(who, options, KEYS);
  const maxLearningRate = checkNumber(who, 'maxLearningRate', o.maxLearningRate, {min: 0, minExclusive: true, example: 0.01});
  const totalSteps = checkNumber(who, 'totalSteps', o.totalSteps, {min: 2, integer: true, example: 1000});
  const pctStart = checkNumber(who, 'pctStart', o.pctStart ?? 0.3, {min: 0, minExclusive: true, max: 1, maxExclusive: true, example: 0.3});
  const divFactor = checkNumber(who, 'divFactor', o.divFactor ?? 25, {min: 0, minExclusive: true, example: 25});
  const finalDivFactor = checkNumber(who, 'finalDivFactor', o.finalDivFactor ?? 1e4, {min: 0, minExclusive: true, example: 1e4});
  const peak = pctStart * totalSteps - 1;
  if (!(peak > 0)) {
    throw new ConfigError(
      `${who}: the rising phase is empty: pctStart · totalSteps − 1 = ${peak} must be > 0 ` +
        `(pctStart ${pctStart}, totalSteps ${totalSteps}). Raise pctStart or totalSteps.`,
    );
  }
  const start = maxLearningRate / divFactor;
  const end = start / finalDivFactor;
  const last = totalSteps - 1;
  const anneal = (a: number, b: number, t: number) => b + ((a - b) / 2) * (1 + Math.cos(Math.PI * t));
  return defineSchedule('trellis/oneCycle', who, {maxLearningRate, totalSteps, pctStart, divFactor, finalDivFactor}, (step) =>
    step <= peak
      ? anneal(start, maxLearningRate, step / peak)
      : anneal(maxLearningRate, end, (Math.min(step, last) - peak) / (last - peak)),
  );
}
