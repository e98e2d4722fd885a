/**
 * Internal option checks shared by the schedules. Every check throws a
 * `ConfigError` naming the schedule and the option, saying what was expected,
 * what came and what to do.
 * @module
 * @internal
 */
import {
  ConfigError,
  checkOptions as checkOptionNames,
  describe,
  type Json,
  type Schedule,
  checkBoolean as checkCoreBoolean,
  checkNumber as checkCoreNumber,
  type NumberRange as CoreNumberRange,
} from '@trellis/core';

/**
 * Throws unless `options` is a plain object whose keys are all in `allowed`
 * (`checkOptions` of `@trellis/core`: an unknown key is named with the option
 * it most likely meant). `undefined` gives `{}`, so required options then
 * report themselves as missing.
 */
export function checkOptions(who: string, options: unknown, allowed: readonly string[]): Record<string, unknown> {
  return checkOptionNames(who, options, allowed);
}

/** The accepted range of {@link checkNumber}: core's, with an example every schedule message quotes. */
export type NumberRange = CoreNumberRange & {
  /** A valid value, quoted in the message (`decaySteps: 1000`). */
  readonly example: number;
};

/**
 * Throws unless `value` is a finite number in `range` (core's `checkNumber`).
 * `undefined` counts as missing: pass the default with `??` before calling for optional options.
 */
export function checkNumber(who: string, key: string, value: unknown, range: NumberRange): number {
  return checkCoreNumber(who, key, value, range);
}

/** Throws unless `value` is a learning rate >= 0 (the required `initialLearningRate` of the decay schedules). */
export function checkInitialLearningRate(who: string, value: unknown): number {
  return checkNumber(who, 'initialLearningRate', value, {min: 0, example: 0.1});
}

/**
 * Checks the options a decay schedule starts from: the option names against
 * `allowed` ({@link checkOptions}), then the required `initialLearningRate`
 * (>= 0) and the step count under `stepsKey` (> 0, the length of one decay).
 * Returns the options and both numbers.
 */
export function checkDecayOptions(
  who: string,
  options: unknown,
  allowed: readonly string[],
  stepsKey: string,
): {o: Record<string, unknown>; initialLearningRate: number; steps: number} {
  const o = checkOptions(who, options, allowed);
  const initialLearningRate = checkInitialLearningRate(who, o.initialLearningRate);
  const steps = checkNumber(who, stepsKey, o[stepsKey], {min: 0, minExclusive: true, example: 1000});
  return {o, initialLearningRate, steps};
}

/** Throws unless `value` is a boolean (core's `checkBoolean`). */
export const checkBoolean = checkCoreBoolean;

/** Throws unless `value` is an array of numbers passing `range`; returns a copy. */
export function checkNumberList(who: string, key: string, value: unknown, range: NumberRange): number[] {
  if (!Array.isArray(value)) {
    throw new ConfigError(`${who}: ${key} must be an array of numbers; got ${describe(value)}. For example ${key}: [${range.example}].`);
  }
  return value.map((v, i) => checkNumber(who, `${key}[${i}]`, v, range));
}

/** Throws unless `list` is strictly increasing. */
export function checkIncreasing(who: string, key: string, list: readonly number[]): void {
  for (let i = 1; i < list.length; i++) {
    if (!(list[i]! > list[i - 1]!)) {
      throw new ConfigError(
        `${who}: ${key} must be strictly increasing; got [${list.join(', ')}] (${key}[${i}] = ${list[i]} after ${list[i - 1]}). ` +
          'Sort them and remove duplicates.',
      );
    }
  }
}

/**
 * Throws unless `value` is a schedule that carries a spec (a function with a
 * `spec: {id, config}`), so the schedule holding it can be saved.
 */
export function checkSchedule(who: string, key: string, value: unknown): Schedule {
  const spec = typeof value === 'function' ? (value as {spec?: {id?: unknown}}).spec : undefined;
  if (typeof value !== 'function' || spec === null || typeof spec !== 'object' || typeof spec.id !== 'string') {
    throw new ConfigError(
      `${who}: ${key} must be a schedule carrying a spec (e.g. exponentialDecay({...}) from @trellis/schedules); ` +
        `got ${typeof value === 'function' ? 'a function without a spec' : describe(value)}. ` +
        'Attach a spec to your own function with withSpec({id, config}, fn) from @trellis/core.',
    );
  }
  return value as Schedule;
}

/** A schedule's spec as JSON (a copy, for a parent's config). */
export function specOf(schedule: Schedule): {id: string; config: Json} {
  return {id: schedule.spec.id, config: schedule.spec.config};
}

/**
 * Throws unless `step` is a finite number >= 0 (the host step counter, 0 for
 * the first update).
 */
export function checkStep(who: string, step: unknown): number {
  if (typeof step !== 'number' || !Number.isFinite(step) || step < 0) {
    throw new ConfigError(
      `${who}: the step must be a finite number >= 0 (0 for the first update); got ${describe(step)}. ` +
        'Call the schedule with the optimizer step counter.',
    );
  }
  return step;
}
