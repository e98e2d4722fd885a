/**
 * `cosineDecayRestarts({...})`: Keras' `CosineDecayRestarts` (SGDR).
 * @module
 */
import {optionKeys} from '@trellis/core';
import type {Schedule} from '@trellis/core';
import {defineSchedule} from './define-schedule';
import {checkDecayOptions, checkNumber} from './validate';

/** Options of {@link cosineDecayRestarts}: Keras' `CosineDecayRestarts` arguments in camelCase. */
export type CosineDecayRestartsOptions = {
  /** The value at step 0 (required; Keras `initial_learning_rate`). */
  readonly initialLearningRate: number;
  /** Steps of the first period, > 0 (required; Keras `first_decay_steps`). */
  readonly firstDecaySteps: number;
  /** Each period is `tMul` times longer than the one before, >= 1 (default 2; Keras `t_mul`). */
  readonly tMul?: number;
  /** Each period starts `mMul` times higher than the one before, >= 0 (default 1; Keras `m_mul`). */
  readonly mMul?: number;
  /** The value at the end of a period as a fraction of its start, in [0, 1] (default 0). */
  readonly alpha?: number;
};

const KEYS = optionKeys<CosineDecayRestartsOptions>({
  initialLearningRate: true,
  firstDecaySteps: true,
  tMul: true,
  mMul: true,
  alpha: true,
});

/** The JSON config in a {@link cosineDecayRestarts} spec: every option, defaults filled in. */
export type CosineDecayRestartsConfig = Required<CosineDecayRestartsOptions>;

/**
 * The restart `i` a point `f = step / firstDecaySteps` lies in, and how far
 * into that period it is (0 to 1). Period `i` spans `[S(i), S(i + 1))` with
 * `S(i) = (tMul^i − 1) / (tMul − 1)` (`i` when `tMul = 1`). The logarithm
 * gives `i` up to rounding; it is then corrected so points exactly on a
 * restart start the new period.
 */
function restartOf(f: number, tMul: number): {i: number; fraction: number} {
  if (tMul === 1) {
    const i = Math.floor(f);
    return {i, fraction: f - i};
  }
  const start = (i: number) => (tMul ** i - 1) / (tMul - 1);
  let i = Math.floor(Math.log(1 - f * (1 - tMul)) / Math.log(tMul));
  if (f >= start(i + 1)) i += 1;
  else if (i > 0 && f < start(i)) i -= 1;
  return {i, fraction: (f - start(i)) / tMul ** i};
}

/**
 * Keras `CosineDecayRestarts`: cosine decay with warm restarts (SGDR,
 * Loshchilov & Hutter 2016). Period `i` (from 0) lasts `firstDecaySteps · tMul^i`
 * steps and starts at `initialLearningRate · mMul^i`; within it, at fraction `t`
 * (0 to 1) of the period:
 *
 * ```
 * lr(step) = initialLearningRate · ((1 − alpha) · mMul^i · ½ · (1 + cos(π · t)) + alpha)
 * ```
 *
 * Note that, as in Keras, the floor `alpha · initialLearningRate` does not
 * shrink with `mMul`. Computed in float64 (Keras: float32).
 *
 * Spec: `{id: 'trellis/cosineDecayRestarts', config: {initialLearningRate, firstDecaySteps, tMul, mMul, alpha}}`.
 * @throws ConfigError for unknown options, a missing required option, a
 *   negative learning rate, firstDecaySteps <= 0, tMul < 1 (periods would
 *   shrink and run out after finitely many steps), mMul < 0 or alpha outside [0, 1].
 */
export function cosineDecayRestarts(options: CosineDecayRestartsOptions): Schedule<CosineDecayRestartsConfig> {
  const who = 'cosineDecayRestarts';
  const {o, initialLearningRate, steps: firstDecaySteps} = checkDecayOptions(who, options, KEYS, 'firstDecaySteps');
  const tMul = checkNumber(who, 'tMul', o.tMul ?? 2, {min: 1, example: 2});
  const mMul = checkNumber(who, 'mMul', o.mMul ?? 1, {min: 0, example: 1});
  const alpha = checkNumber(who, 'alpha', o.alpha ?? 0, {min: 0, max: 1, example: 0.01});
  return defineSchedule('trellis/cosineDecayRestarts', who, {initialLearningRate, firstDecaySteps, tMul, mMul, alpha}, (step) => {
    const {i, fraction} = restartOf(step / firstDecaySteps, tMul);
    const cosine = 0.5 * mMul ** i * (1 + Math.cos(Math.PI * fraction));
    return initialLearningRate * ((1 - alpha) * cosine + alpha);
  });
}
