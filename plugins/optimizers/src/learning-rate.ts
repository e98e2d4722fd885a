/**
 * Learning rates: a number or a schedule, and their JSON form in specs.
 * @module
 */
import {ConfigError, describe, type Json, type Schedule} from '@trellis/core';

/**
 * A learning rate as it appears in an optimizer's spec: a number, or the
 * `{id, config}` spec of a schedule (rebuilt by `@trellis/schedules`).
 */
export type LearningRateJson = number | {readonly id: string; readonly config: Json};

/**
 * Checks a learning rate: a finite number > 0, or a function of the step
 * (`requireSpec`: a schedule that carries a spec, so the optimizer can be
 * saved). A schedule *spec* (`{id, config}`) is refused with a hint, since
 * this package does not rebuild schedules. Internal to this package.
 */
export function checkLearningRate(who: string, value: unknown, requireSpec: boolean): number | Schedule {
  if (typeof value === 'function') {
    const spec = (value as {spec?: unknown}).spec as {id?: unknown} | undefined;
    if (requireSpec && (spec === null || typeof spec !== 'object' || typeof spec.id !== 'string')) {
      throw new ConfigError(
        `${who}: learningRate is a function without a spec, so the optimizer could not be saved. ` +
          'Use a schedule from @trellis/schedules, or attach a spec with withSpec({id, config}, fn) from @trellis/core.',
      );
    }
    return value as Schedule;
  }
  if (value !== null && typeof value === 'object' && typeof (value as {id?: unknown}).id === 'string') {
    throw new ConfigError(
      `${who}: learningRate is the schedule spec '${(value as {id: string}).id}', which @trellis/optimizers cannot rebuild. ` +
        "Schedules come with @trellis/schedules: rebuild it with registry.resolve('schedule', spec) and pass the schedule as learningRate.",
    );
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(
      `${who}: learningRate must be a finite number > 0 or a schedule; got ${describe(value)}. For example learningRate: 0.01.`,
    );
  }
  return value;
}

/** A learning rate as JSON: the number, or a copy of the schedule's spec (internal). */
export function learningRateToJson(value: number | Schedule): LearningRateJson {
  return typeof value === 'number' ? value : {id: value.spec.id, config: value.spec.config};
}
