/**
 * `join(schedules, boundaries)`: schedules one after another (optax `join_schedules`).
 * @module
 */
import {ConfigError, describe, type Schedule, type Spec, optionKeys} from '@trellis/core';
import {defineSchedule} from './define-schedule';
import {checkIncreasing, checkNumberList, checkSchedule, specOf} from './validate';

/** The JSON config in a {@link join} spec: the children's specs and the boundaries. */
export type JoinConfig = {
  readonly schedules: readonly Spec[];
  readonly boundaries: readonly number[];
};

/** The keys of a {@link join} spec config, which `schedulesPlugin` checks. */
export const JOIN_KEYS = optionKeys<JoinConfig>({schedules: true, boundaries: true});

/**
 * Runs `schedules[0]` until `boundaries[0]`, then `schedules[1]` until
 * `boundaries[1]`, and so on, with optax `join_schedules` semantics: each
 * schedule starts again from step 0 at its boundary,
 *
 * ```
 * lr(step) = schedules[0](step)                              step < boundaries[0]
 * lr(step) = schedules[i + 1](step − boundaries[i])          boundaries[i] <= step (< boundaries[i + 1])
 * ```
 *
 * Spec: `{id: 'trellis/join', config: {schedules: [spec, ...], boundaries}}`;
 * `schedulesPlugin` rebuilds the children through the registry.
 *
 * @example
 * // warm up for 100 steps, then decay from 0.1:
 * join([linearWarmup({warmupSteps: 100, warmupTarget: 0.1}), exponentialDecay({initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.5})], [100]);
 * @throws ConfigError when `schedules` is empty or holds a function without a
 *   spec, when `boundaries.length !== schedules.length − 1`, or when the
 *   boundaries are not finite, >= 0 and strictly increasing.
 */
export function join(schedules: readonly Schedule[], boundaries: readonly number[]): Schedule<JoinConfig> {
  const who = 'join';
  if (!Array.isArray(schedules) || schedules.length === 0) {
    throw new ConfigError(
      `${who}: schedules must be a non-empty array of schedules; got ${describe(schedules)}. ` +
        'For example join([constantSchedule(0.1), constantSchedule(0.01)], [1000]).',
    );
  }
  const parts = schedules.map((s, i) => checkSchedule(who, `schedules[${i}]`, s));
  const at = checkNumberList(who, 'boundaries', boundaries, {min: 0, example: 1000});
  checkIncreasing(who, 'boundaries', at);
  if (at.length !== parts.length - 1) {
    throw new ConfigError(
      `${who}: boundaries must have one element less than schedules (where each next schedule starts); ` +
        `got ${parts.length} schedules and ${at.length} boundaries. Add or remove a boundary or a schedule.`,
    );
  }
  return defineSchedule('trellis/join', who, {schedules: parts.map(specOf), boundaries: at}, (step) => {
    let i = 0;
    while (i < at.length && step >= at[i]!) i++;
    return i === 0 ? parts[0]!(step) : parts[i]!(step - at[i - 1]!);
  });
}
