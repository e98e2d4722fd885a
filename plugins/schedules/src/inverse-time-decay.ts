/**
 * `inverseTimeDecay({...})`: Keras' `InverseTimeDecay`.
 * @module
 */
import type {Schedule} from '@trellis/core';
import {rateDecay, type RateDecayOptions} from './rate-decay';

/**
 * Options of {@link inverseTimeDecay}: Keras' `InverseTimeDecay` arguments in camelCase.
 * `decayRate` (>= 0) is how fast it decays.
 */
export type InverseTimeDecayOptions = RateDecayOptions;

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
  return rateDecay('inverseTimeDecay', options, {min: 0, example: 0.5}, (initial, rate, p) => initial / (1 + rate * p));
}
