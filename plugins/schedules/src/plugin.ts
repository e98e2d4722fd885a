/**
 * `schedulesPlugin`: registers the schedules of this package.
 * @module
 */
import type {Plugin, Registry, Schedule, Spec} from '@trellis/core';
import {CONSTANT_SCHEDULE_KEYS, constant} from './constant-schedule';
import {cosineDecay} from './cosine-decay';
import {cosineDecayRestarts} from './cosine-decay-restarts';
import {exponentialDecay} from './exponential-decay';
import {inverseTimeDecay} from './inverse-time-decay';
import {JOIN_KEYS, join} from './join';
import {linearWarmup} from './linear-warmup';
import {oneCycle} from './one-cycle';
import {piecewiseConstantDecay} from './piecewise-constant-decay';
import {polynomialDecay} from './polynomial-decay';
import {stepDecay} from './step-decay';
import {checkOptions} from './validate';

/** A nested schedule spec rebuilt through `registry`; anything else passes through (and is refused by the schedule). */
function child(registry: Registry, spec: unknown): Schedule | unknown {
  const isSpec = spec !== null && typeof spec === 'object' && typeof (spec as {id?: unknown}).id === 'string';
  return isSpec ? registry.resolve('schedule', spec as Spec) : spec;
}

/**
 * Registers kind `'schedule'` ids `trellis/constant`, `trellis/cosineDecay`,
 * `trellis/cosineDecayRestarts`, `trellis/exponentialDecay`,
 * `trellis/inverseTimeDecay`, `trellis/join`, `trellis/linearWarmup`,
 * `trellis/oneCycle`, `trellis/piecewiseConstantDecay`,
 * `trellis/polynomialDecay` and `trellis/stepDecay`, so
 * `registry.resolve('schedule', schedule.spec)` rebuilds a schedule. The
 * factories take the spec's JSON config as options (missing optional keys get
 * their defaults, unknown keys are refused); `join` and `linearWarmup` rebuild the schedules nested in their
 * config through the registry resolving them, and optimizers registered by
 * `@trellis/optimizers` rebuild a schedule learning rate the same way.
 */
export const schedulesPlugin: Plugin = {
  name: '@trellis/schedules',
  specVersion: 1,
  setup(registry) {
    registry.register('schedule', 'trellis/constant', (config) =>
      constant(checkOptions('constantSchedule', config, CONSTANT_SCHEDULE_KEYS).value as number),
    );
    registry.register('schedule', 'trellis/cosineDecay', (config) => cosineDecay(config ?? {}));
    registry.register('schedule', 'trellis/cosineDecayRestarts', (config) => cosineDecayRestarts(config ?? {}));
    registry.register('schedule', 'trellis/exponentialDecay', (config) => exponentialDecay(config ?? {}));
    registry.register('schedule', 'trellis/inverseTimeDecay', (config) => inverseTimeDecay(config ?? {}));
    registry.register('schedule', 'trellis/join', (config, resolving) => {
      const {schedules, boundaries} = checkOptions('join', config, JOIN_KEYS);
      const children = Array.isArray(schedules) ? schedules.map((s: unknown) => child(resolving, s)) : schedules;
      return join(children as readonly Schedule[], boundaries as readonly number[]);
    });
    registry.register('schedule', 'trellis/linearWarmup', (config, resolving) => {
      const options = config ?? {};
      return linearWarmup({...options, after: options.after === null ? undefined : child(resolving, options.after)});
    });
    registry.register('schedule', 'trellis/oneCycle', (config) => oneCycle(config ?? {}));
    registry.register('schedule', 'trellis/piecewiseConstantDecay', (config) => piecewiseConstantDecay(config ?? {}));
    registry.register('schedule', 'trellis/polynomialDecay', (config) => polynomialDecay(config ?? {}));
    registry.register('schedule', 'trellis/stepDecay', (config) => stepDecay(config ?? {}));
  },
};
