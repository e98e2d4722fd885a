/**
 * `polynomialDecay({...})`: Keras' `PolynomialDecay`.
 * @module
 */
import {optionKeys} from '@trellis/core';
import type {Schedule} from '@trellis/core';
import {defineSchedule} from './define-schedule';
import {checkBoolean, checkDecayOptions, checkNumber} from './validate';

/** Options of {@link polynomialDecay}: Keras' `PolynomialDecay` arguments in camelCase. */
export type PolynomialDecayOptions = {
  /** The value at step 0 (required; Keras `initial_learning_rate`). */
  readonly initialLearningRate: number;
  /** Steps to reach `endLearningRate`, > 0 (required; Keras `decay_steps`). */
  readonly decaySteps: number;
  /** The value from `decaySteps` on (default 0.0001; Keras `end_learning_rate`). */
  readonly endLearningRate?: number;
  /** The polynomial's power, >= 0 (default 1: linear). */
  readonly power?: number;
  /** Restart after `decaySteps`, stretched to the next multiple of it (default false). */
  readonly cycle?: boolean;
};

const KEYS = optionKeys<PolynomialDecayOptions>({
  initialLearningRate: true,
  decaySteps: true,
  endLearningRate: true,
  power: true,
  cycle: true,
});

/** The JSON config in a {@link polynomialDecay} spec: every option, defaults filled in. */
export type PolynomialDecayConfig = Required<PolynomialDecayOptions>;

/**
 * Keras `PolynomialDecay`:
 *
 * ```
 * cycle = false:  s = min(step, decaySteps),  D = decaySteps
 * cycle = true:   s = step,  D = decaySteps · max(1, ceil(step / decaySteps))
 * lr(step) = (initialLearningRate − endLearningRate) · (1 − s / D) ^ power + endLearningRate
 * ```
 *
 * Without `cycle` the value stays `endLearningRate` from `decaySteps` on. With
 * `cycle`, each period decays over the first multiple of `decaySteps` that is
 * >= the step, so the value jumps up after every multiple (and step 0 uses
 * `decaySteps`, as in Keras). Computed in float64 (Keras: float32).
 *
 * Spec: `{id: 'trellis/polynomialDecay', config: {initialLearningRate, decaySteps, endLearningRate, power, cycle}}`.
 * @throws ConfigError for unknown options, a missing required option, a
 *   negative learning rate, decaySteps <= 0, power < 0 or a non-boolean cycle.
 */
export function polynomialDecay(options: PolynomialDecayOptions): Schedule<PolynomialDecayConfig> {
  const who = 'polynomialDecay';
  const {o, initialLearningRate, steps: decaySteps} = checkDecayOptions(who, options, KEYS, 'decaySteps');
  const endLearningRate = checkNumber(who, 'endLearningRate', o.endLearningRate ?? 0.0001, {min: 0, example: 0.0001});
  const power = checkNumber(who, 'power', o.power ?? 1, {min: 0, example: 1});
  const cycle = checkBoolean(who, 'cycle', o.cycle ?? false);
  return defineSchedule('trellis/polynomialDecay', who, {initialLearningRate, decaySteps, endLearningRate, power, cycle}, (step) => {
    let s = step;
    let steps = decaySteps;
    if (cycle) steps = decaySteps * (step === 0 ? 1 : Math.ceil(step / decaySteps));
    else s = Math.min(step, decaySteps);
    return (initialLearningRate - endLearningRate) * (1 - s / steps) ** power + endLearningRate;
  });
}
