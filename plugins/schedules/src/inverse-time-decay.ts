/**
 * `inverseTimeDecay({...})`: Keras' `InverseTimeDecay`.
 * @module
 */
import {optionKeys} from '@trellis/core';
import type {Schedule} from '@trellis/core';
import {defineSchedule} from './define-schedule';
import {checkBoolean, checkDecayOptions, checkNumber} from './validate';

/** Options of {@link inverseTimeDecay}: Keras' `InverseTimeDecay` arguments in camelCase. */
export type InverseTimeDecayOptions = {
  /** The value at step 0 (required; Keras `initial_learning_rate`). */
  readonly initialLearningRate: number;
  /** The time unit of the decay, > 0 (required; Keras `decay_steps`). */
  readonly decaySteps: number;
  /** How fast it decays, >= 0 (required; Keras `decay_rate`). */
  readonly decayRate: number;
  /** Decay at whole multiples of `decaySteps` only (default false). */
  readonly staircase?: boolean;
};

const KEYS = optionKeys<InverseTimeDecayOptions>({initialLearningRate: true, decaySteps: true, decayRate: true, staircase: true});

/** The JSON config in an {@link inverseTimeDecay} spec: every option, defaults filled in. */
export type InverseTimeDecayConfig = Required<InverseTimeDecayOptions>;

/**
 * Keras `InverseTimeDecay`:
 *
 * ```
 * lr(step) = initialLearningRate / (1 + decayRate · step / decaySteps)
 * ```
 *
 * with `floor(step / decaySteps)` in place of `step / decaySteps` when
 * `staircase`. Computed in float64 (Keras: float32).
 *
 * Spec: `{id: 'trellis/inverseTimeDecay', config: {initialLearningRate, decaySteps, decayRate, staircase}}`.
 * @throws ConfigError for unknown options, a missing required option,
 *   initialLearningRate < 0, decaySteps <= 0, decayRate < 0 or a non-boolean staircase.
 */
export function inverseTimeDecay(options: InverseTimeDecayOptions): Schedule<InverseTimeDecayConfig> {
  const who = 'inverseTimeDecay';
  const {o, initialLearningRate, steps: decaySteps} = checkDecayOptions(who, options, KEYS, 'decaySteps');
  const decayRate = checkNumber(who, 'decayRate', o.decayRate, {min: 0, example: 0.5});
  const staircase = checkBoolean(who, 'staircase', o.staircase ?? false);
  return defineSchedule('trellis/inverseTimeDecay', who, {initialLearningRate, decaySteps, decayRate, staircase}, (step) => {
    const p = staircase ? Math.floor(step / decaySteps) : step / decaySteps;
    return initialLearningRate / (1 + decayRate * p);
  });
}
