/**
 * `rateDecay(who, options, rateRange, value)`: the options, checks and spec
 * that {@link exponentialDecay} and {@link inverseTimeDecay} share.
 * @module
 */
import {optionKeys, type Schedule} from '@trellis/core';
import {defineSchedule} from './define-schedule';
import {checkBoolean, checkDecayOptions, checkNumber, type NumberRange} from './validate';

/** Options of a schedule that decays by `decayRate` per `decaySteps` steps: Keras' arguments in camelCase. */
export type RateDecayOptions = {
  /** The value at step 0 (required; Keras `initial_learning_rate`). */
  readonly initialLearningRate: number;
  /** The time unit of the decay, > 0: the decay sees `p = step / decaySteps` (required; Keras `decay_steps`). */
  readonly decaySteps: number;
  /** How fast it decays (required; Keras `decay_rate`); its range is the schedule's. */
  readonly decayRate: number;
  /** Decay at whole multiples of `decaySteps` only (default false). */
  readonly staircase?: boolean;
};

const KEYS = optionKeys<RateDecayOptions>({initialLearningRate: true, decaySteps: true, decayRate: true, staircase: true});

/**
 * The schedule `who` (spec `{id: 'trellis/<who>', config: {initialLearningRate,
 * decaySteps, decayRate, staircase}}`) whose value at a step is
 * `value(initialLearningRate, decayRate, p)` with `p = step / decaySteps`
 * (`floor`ed with `staircase`).
 *
 * @throws ConfigError for unknown options, a missing required option,
 *   initialLearningRate < 0, decaySteps <= 0, a decayRate outside
 *   `rateRange` or a non-boolean staircase.
 */
export function rateDecay(
  who: string,
  options: RateDecayOptions,
  rateRange: NumberRange,
  value: (initialLearningRate: number, decayRate: number, p: number) => number,
): Schedule<Required<RateDecayOptions>> {
  const {o, initialLearningRate, steps: decaySteps} = checkDecayOptions(who, options, KEYS, 'decaySteps');
  const decayRate = checkNumber(who, 'decayRate', o.decayRate, rateRange);
  const staircase = checkBoolean(who, 'staircase', o.staircase ?? false);
  return defineSchedule(`trellis/${who}`, who, {initialLearningRate, decaySteps, decayRate, staircase}, (step) => {
    const p = staircase ? Math.floor(step / decaySteps) : step / decaySteps;
    return value(initialLearningRate, decayRate, p);
  });
}
