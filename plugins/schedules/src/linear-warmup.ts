/**
 * `linearWarmup({...})`: a linear ramp, then a constant or another schedule.
 * @module
 */
import {optionKeys} from '@trellis/core';
import type {Schedule, Spec} from '@trellis/core';
import {defineSchedule} from './define-schedule';
import {checkNumber, checkOptions, checkSchedule, specOf} from './validate';

/** Options of {@link linearWarmup}. */
export type LinearWarmupOptions = {
  /** The value at step 0, >= 0 (default 0). */
  readonly initialLearningRate?: number;
  /** Steps of the ramp, > 0 (required). */
  readonly warmupSteps: number;
  /**
   * The value reached at `warmupSteps`, >= 0. Required without `after`; with
   * `after`, it defaults to `after(0)`, so the ramp ends where `after` starts.
   */
  readonly warmupTarget?: number;
  /**
   * The schedule that takes over at `warmupSteps`, called with the steps since
   * then (`after(step − warmupSteps)`, as {@link join} does). Default: hold
   * `warmupTarget`. It must carry a spec.
   */
  readonly after?: Schedule;
};

const KEYS = optionKeys<LinearWarmupOptions>({initialLearningRate: true, warmupSteps: true, warmupTarget: true, after: true});

/** The JSON config in a {@link linearWarmup} spec: `after` is the follow-up's spec, or null. */
export type LinearWarmupConfig = {
  readonly initialLearningRate: number;
  readonly warmupSteps: number;
  readonly warmupTarget: number;
  readonly after: Spec | null;
};

/**
 * A linear warmup (Goyal et al. 2017):
 *
 * ```
 * step < warmupSteps:   lr(step) = initialLearningRate + (warmupTarget − initialLearningRate) · step / warmupSteps
 * step >= warmupSteps:  lr(step) = after(step − warmupSteps)      (no after: warmupTarget)
 * ```
 *
 * Spec: `{id: 'trellis/linearWarmup', config: {initialLearningRate, warmupSteps, warmupTarget, after}}`,
 * `after` holding the follow-up's spec (rebuilt through the registry by
 * `schedulesPlugin`).
 *
 * @example
 * // 0 → 1e-3 over 500 steps, then Keras' cosine decay from 1e-3 over 10000 steps:
 * linearWarmup({warmupSteps: 500, after: cosineDecay({initialLearningRate: 1e-3, decaySteps: 10000})});
 * @throws ConfigError for unknown options, warmupSteps <= 0, a negative
 *   learning rate, a missing warmupTarget without `after`, or an `after` that is
 *   not a schedule with a spec.
 */
export function linearWarmup(options: LinearWarmupOptions): Schedule<LinearWarmupConfig> {
  const who = 'linearWarmup';
  const o = checkOptions(who, options, KEYS);
  const initialLearningRate = checkNumber(who, 'initialLearningRate', o.initialLearningRate ?? 0, {min: 0, example: 0});
  const warmupSteps = checkNumber(who, 'warmupSteps', o.warmupSteps, {min: 0, minExclusive: true, example: 1000});
  const after = o.after === undefined || o.after === null ? null : checkSchedule(who, 'after', o.after);
  const warmupTarget = checkNumber(who, 'warmupTarget', o.warmupTarget ?? (after ? after(0) : undefined), {
    min: 0,
    example: 0.1,
  });
  return defineSchedule(
    'trellis/linearWarmup',
    who,
    {initialLearningRate, warmupSteps, warmupTarget, after: after ? specOf(after) : null},
    (step) => {
      if (step < warmupSteps) return initialLearningRate + ((warmupTarget - initialLearningRate) * step) / warmupSteps;
      return after ? after(step - warmupSteps) : warmupTarget;
    },
  );
}
