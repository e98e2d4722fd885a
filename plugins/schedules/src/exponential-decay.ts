/**
 * `exponentialDecay({...})`: Keras' `ExponentialDecay`.
 * @module
 */
import type {Schedule} from '@trellis/core';
import {rateDecay, type RateDecayOptions} from './rate-decay';

/**
 * Options of {@link exponentialDecay}: Keras' `ExponentialDecay` arguments in camelCase.
 * `decayRate` (> 0) is the factor per `decaySteps` steps.
 */
export type ExponentialDecayOptions = RateDecayOptions;

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
  return rateDecay('exponentialDecay', options, {min: 0, minExclusive: true, example: 0.96}, (initial, rate, p) => initial * rate ** p);
}
