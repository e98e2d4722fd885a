/**
 * Learning rates: a number or a schedule, and their JSON form in specs.
 * @module
 */
import {
  ConfigError,
  describe,
  type Factory,
  type Json,
  type Kind,
  type Registry,
  type Schedule,
  type Spec,
  type UpdateExtras,
} from '@trellis/core';

/**
 * A learning rate as it appears in an optimizer's spec: a number, or the
 * `{id, config}` spec of a schedule (rebuilt by `@trellis/schedules`).
 */
export type LearningRateJson = number | {readonly id: string; readonly config: Json};

/**
 * Checks a learning rate: a finite number > 0, or a function of the step
 * (`requireSpec`: a schedule that carries a spec, so the optimizer can be
 * saved). A schedule *spec* (`{id, config}`) is refused with a hint: the
 * optimizer factories take schedules; the registry rebuilds specs (see
 * {@link withScheduleLearningRates}). Internal to this package.
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
      `${who}: learningRate is the schedule spec '${(value as {id: string}).id}', not a schedule. ` +
        "Schedules come with @trellis/schedules: pass the schedule itself (rebuilt with registry.resolve('schedule', spec)), " +
        "or rebuild the whole optimizer with registry.resolve('optimizer', optimizerSpec) in a registry holding schedulesPlugin.",
    );
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(
      `${who}: learningRate must be a finite number > 0 or a schedule; got ${describe(value)}. For example learningRate: 0.01.`,
    );
  }
  return value;
}

/**
 * The learning rate of `step`: the number itself, or what the schedule returns
 * for `step` (internal). Evaluated on the host before any tensor is made, so a
 * refused value changes nothing.
 *
 * @throws ConfigError naming `who`, the step and the value when a schedule
 *   returns anything but a finite number >= 0.
 */
export function learningRateAt(who: string, learningRate: number | Schedule, step: number): number {
  if (typeof learningRate === 'number') return learningRate;
  const rate: unknown = learningRate(step);
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
    throw new ConfigError(
      `${who}: the learning-rate schedule returned ${typeof rate === 'number' ? String(rate) : describe(rate)} at step ${step}; ` +
        "a learning rate must be a finite number >= 0. Check the schedule's options.",
    );
  }
  return rate;
}

/**
 * The factor `optimizer.setLearningRate` put on the learning rate
 * (`extras.learningRateScale`), or 1 when there is none (internal).
 */
export function learningRateScale(extras: UpdateExtras | undefined): number {
  const scale = extras?.learningRateScale;
  return typeof scale === 'number' && Number.isFinite(scale) && scale >= 0 ? scale : 1;
}

/** A learning rate as JSON: the number, or a copy of the schedule's spec (internal). */
export function learningRateToJson(value: number | Schedule): LearningRateJson {
  return typeof value === 'number' ? value : {id: value.spec.id, config: value.spec.config};
}

/**
 * An optimizer config whose `learningRate` is a schedule spec, with that spec
 * rebuilt through `registry` (`registry.resolve('schedule', spec)`); any other
 * config is returned as it came (the optimizer checks it). Internal.
 *
 * @throws ConfigError naming the optimizer when the registry holds no
 *   schedules at all (`schedulesPlugin` of @trellis/schedules was not set up);
 *   UnknownIdError when it holds schedules but not that id.
 */
export function resolveLearningRate(who: string, config: unknown, registry: Registry): unknown {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return config;
  const learningRate = (config as {learningRate?: unknown}).learningRate;
  if (learningRate === null || typeof learningRate !== 'object' || typeof (learningRate as {id?: unknown}).id !== 'string') {
    return config;
  }
  const spec = learningRate as Spec;
  if (registry.ids('schedule').length === 0) {
    throw new ConfigError(
      `${who}: learningRate is the schedule spec '${spec.id}', but this registry has no schedules to rebuild it. ` +
        'Schedules come with @trellis/schedules: set up its plugin (registry.use(schedulesPlugin); createTrellis() does) and resolve the optimizer again.',
    );
  }
  return {...config, learningRate: registry.resolve('schedule', spec)};
}

/**
 * `registry` with a `register` that makes every optimizer factory rebuild a
 * schedule learning rate saved in its config (see {@link resolveLearningRate})
 * through the registry resolving the optimizer; other kinds register
 * unchanged. `optimizersPlugin` registers through it. Internal.
 */
export function withScheduleLearningRates(registry: Registry): Registry {
  return {
    ...registry,
    register<K extends Kind>(kind: K, id: string, factory: Factory<K>) {
      if (kind !== 'optimizer') return registry.register(kind, id, factory);
      const who = id.slice(id.indexOf('/') + 1);
      const optimizer = factory as Factory<'optimizer'>;
      return registry.register('optimizer', id, (config, resolving) => optimizer(resolveLearningRate(who, config, resolving), resolving));
    },
  };
}
