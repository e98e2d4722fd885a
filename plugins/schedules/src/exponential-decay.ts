/**
 * `exponentialDecay({...})`: Keras' `ExponentialDecay`.
 * @module
 */
import {optionKeys} from '@trellis/core';
import type {Schedule} from '@trellis/core';
import {defineSchedule} from './define-schedule';
import {checkBoolean, checkDecayOptions, checkNumber} from './validate';

/** Options of {@link exponentialDecay}: Keras' `ExponentialDecay` arguments in camelCase. */
export type ExponentialDecayOptions = {
  /** The value at step 0 (required; Keras `initial_learning_rate`). */
  readonly initialLearningRate: number;
  /** Steps per factor of `decayRate`, > 0 (required; Keras `decay_steps`). */
  readonly decaySteps: number;
  /** The factor per `decaySteps` steps, > 0 (required; Keras `decay_rate`). */
  readonly decayRate: number;
  /** Decay at whole multiples of `decaySteps` only (default false). */
  readonly staircase?: boolean;
};

const KEYS = optionKeys<ExponentialDecayOptions>({initialLearningRate: true, decaySteps: true, decayRate: true, staircase: true});

/** The JSON config in an {@link exponentialDecay} spec: every option, defaults filled in. */
export type ExponentialDecayConfig = Required<ExponentialDecayOptions>;

/**
 * Keras `ExponentialDecay`:
 *
 * ```
 * lr(step) = initialLearningRate · decayRate ^ (step / decaySteps)
 * ```
 *
 * with `floor(step / decaySteps)` as the exponent when `staircase`. Computed
 * in float64 (Keras: float32).
 *
 * Spec: `{id: 'trellis/exponentialDecay', config: {initialLearningRate, decaySteps, decayRate, staircase}}`.
 *
 * @example
 * adam({learningRate: exponentialDecay({initialLearningRate: 1e-3, decaySteps: 1000, decayRate: 0.96})});
 * @throws ConfigError for unknown options, a missing required option,
 *   initialLearningRate < 0, decaySteps <= 0, decayRate <= 0 or a non-boolean staircase.
 */
export function exponentialDecay(options: ExponentialDecayOptions): Schedule<ExponentialDecayConfig> {
  const who = 'exponentialDecay';
  const {o, initialLearningRate, steps: decaySteps} = checkDecayOptions(who, options, KEYS, 'decaySteps');
  const decayRate = checkNumber(who, 'decayRate', o.decayRate, {min: 0, minExclusive: true, example: 0.96});
  const staircase = checkBoolean(who, 'staircase', o.staircase ?? false);
  return defineSchedule('trellis/exponentialDecay', who, {initialLearningRate, decaySteps, decayRate, staircase}, (step) => {
    const p = staircase ? Math.floor(step / decaySteps) : step / decaySteps;
    return initialLearningRate * decayRate ** p;
  });
}
