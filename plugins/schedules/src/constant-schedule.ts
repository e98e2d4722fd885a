/**
 * `schedules.constant(value)`: the same value at every step.
 * @module
 */
import {optionKeys} from '@trellis/core';
import type {Schedule} from '@trellis/core';
import {defineSchedule} from './define-schedule';
import {checkNumber} from './validate';

/** The JSON config in a {@link constant} spec. */
export type ConstantScheduleConfig = {readonly value: number};

/** The keys of a {@link constant} spec config, which `schedulesPlugin` checks. */
export const CONSTANT_SCHEDULE_KEYS = optionKeys<ConstantScheduleConfig>({value: true});

/**
 * A schedule returning `value` at every step: a number as a schedule, e.g. a
 * piece of {@link join}. (Optimizers take a plain number as well.)
 * `schedules.constant` (`initializers.constant` of `@trellis/initializers` is the initializer).
 *
 * Spec: `{id: 'trellis/constant', config: {value}}`.
 * @throws ConfigError when `value` is not a finite number >= 0.
 */
export function constant(value: number): Schedule<ConstantScheduleConfig> {
  const v = checkNumber('constantSchedule', 'value', value, {min: 0, example: 0.01});
  return defineSchedule('trellis/constant', 'constantSchedule', {value: v}, () => v);
}

/**
 * The constant schedule under its former flat name (spec id `trellis/constant`).
 *
 * @deprecated Use `schedules.constant` (the schedule; `constant` is the initializer of
 * `@trellis/initializers`) — removed in the next minor release.
 */
export const constantSchedule: typeof constant = constant;
