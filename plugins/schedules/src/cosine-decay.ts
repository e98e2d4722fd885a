/**
 * `cosineDecay({...})`: Keras' `CosineDecay`, with its optional linear warmup.
 * @module
 */
import {optionKeys} from '@trellis/core';
import type {Schedule} from '@trellis/core';
import {defineSchedule} from './define-schedule';
import {checkDecayOptions, checkNumber} from './validate';

/** Options of {@link cosineDecay}: Keras' `CosineDecay` arguments in camelCase. */
export type CosineDecayOptions = {
  /** The value at step 0 (required; Keras `initial_learning_rate`). */
  readonly initialLearningRate: number;
  /** Steps of the cosine decay, > 0 (required; Keras `decay_steps`). */
  readonly decaySteps: number;
  /** The final value as a fraction of the decay's start, in [0, 1] (default 0). */
  readonly alpha?: number;
  /** The value the warmup ramps up to; null: no warmup (default null; Keras `warmup_target`). */
  readonly warmupTarget?: number | null;
  /** Steps of the linear warmup, >= 0 (default 0; used only with `warmupTarget`; Keras `warmup_steps`). */
  readonly warmupSteps?: number;
};

const KEYS = optionKeys<CosineDecayOptions>({
  initialLearningRate: true,
  decaySteps: true,
  alpha: true,
  warmupTarget: true,
  warmupSteps: true,
});

/** The JSON config in a {@link cosineDecay} spec: every option, defaults filled in. */
export type CosineDecayConfig = {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;
};

/**
 * Keras `CosineDecay` (SGDR without restarts, Loshchilov & Hutter 2016), with
 * `decayed(s, from) = from · ((1 − alpha) · ½ · (1 + cos(π · min(s, decaySteps) / decaySteps)) + alpha)`:
 *
 * ```
 * warmupTarget = null:   lr(step) = decayed(step, initialLearningRate)
 * otherwise, W = warmupSteps:
 *   step < W:            lr(step) = initialLearningRate + (warmupTarget − initialLearningRate) · step / W
 *   step >= W:           lr(step) = decayed(step − W, warmupTarget)
 * ```
 *
 * The value ends at `alpha` times where the decay started, and stays there.
 * `warmupSteps` is ignored when `warmupTarget` is null, as in Keras. Computed
 * in float64 (Keras: float32).
 *
 * Spec: `{id: 'trellis/cosineDecay', config: {initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps}}`.
 *
 * @example
 * // from 0 up to 0.1 in 1000 steps, then down to 0 in 10000:
 * cosineDecay({initialLearningRate: 0, decaySteps: 10000, warmupTarget: 0.1, warmupSteps: 1000});
 * @throws ConfigError for unknown options, a missing required option, a
 *   negative learning rate or warmup target, decaySteps <= 0, alpha outside
 *   [0, 1] or warmupSteps < 0.
 */
export function cosineDecay(options: CosineDecayOptions): Schedule<CosineDecayConfig> {
  const who = 'cosineDecay';
  const {o, initialLearningRate, steps: decaySteps} = checkDecayOptions(who, options, KEYS, 'decaySteps');
  const alpha = checkNumber(who, 'alpha', o.alpha ?? 0, {min: 0, max: 1, example: 0.01});
  const warmupTarget =
    o.warmupTarget === undefined || o.warmupTarget === null
      ? null
      : checkNumber(who, 'warmupTarget', o.warmupTarget, {min: 0, example: 0.1});
  const warmupSteps = checkNumber(who, 'warmupSteps', o.warmupSteps ?? 0, {min: 0, example: 1000});
  const decayed = (s: number, from: number) =>
    from * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * Math.min(s, decaySteps)) / decaySteps)) + alpha);
  return defineSchedule('trellis/cosineDecay', who, {initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps}, (step) => {
    if (warmupTarget === null) return decayed(step, initialLearningRate);
    if (step < warmupSteps) return initialLearningRate + ((warmupTarget - initialLearningRate) * step) / warmupSteps;
    return decayed(step - warmupSteps, warmupTarget);
  });
}
