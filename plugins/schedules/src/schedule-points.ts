/**
 * `schedulePoints(schedule, {steps, every})`: a schedule's curve as data.
 * @module
 */
import {ConfigError, describe, type Schedule, optionKeys} from '@trellis/core';
import {checkNumber, checkOptions} from './validate';

/** One point of a schedule's curve. */
export type SchedulePoint = {readonly step: number; readonly value: number};

/** Options of {@link schedulePoints}. */
export type SchedulePointsOptions = {
  /** The steps to cover: `0 .. steps − 1`, an integer >= 1 (required). */
  readonly steps: number;
  /** Take every `every`-th step, an integer >= 1 (default 1). */
  readonly every?: number;
};

const KEYS = optionKeys<SchedulePointsOptions>({steps: true, every: true});

/**
 * The values of `schedule` at steps `0, every, 2·every, …` below `steps`, to
 * print or plot a curve (`lr` against the optimizer step).
 *
 * @example
 * schedulePoints(cosineDecay({initialLearningRate: 0.1, decaySteps: 100}), {steps: 101, every: 25});
 * // [{step: 0, value: 0.1}, {step: 25, value: 0.0854}, {step: 50, value: 0.05}, {step: 75, value: 0.0146}, {step: 100, value: 0}]
 * @throws ConfigError when `schedule` is not a function or the options are bad.
 */
export function schedulePoints(schedule: Schedule, options: SchedulePointsOptions): SchedulePoint[] {
  const who = 'schedulePoints';
  if (typeof schedule !== 'function') {
    throw new ConfigError(`${who}: expected a schedule (a function of the step); got ${describe(schedule)}.`);
  }
  const o = checkOptions(who, options, KEYS);
  const steps = checkNumber(who, 'steps', o.steps, {min: 1, integer: true, example: 1000});
  const every = checkNumber(who, 'every', o.every ?? 1, {min: 1, integer: true, example: 10});
  const points: SchedulePoint[] = [];
  for (let step = 0; step < steps; step += every) points.push({step, value: schedule(step)});
  return points;
}
