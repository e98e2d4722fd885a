/**
 * `defineSchedule(...)`: how every schedule of this package is assembled.
 * @module
 * @internal
 */
import {withSpec, type Json, type Schedule} from '@trellis/core';
import {checkStep} from './validate';

/**
 * Returns `value` as a {@link Schedule} with spec `{id, config}` that checks
 * its step (a finite number >= 0, else `ConfigError` naming `who`).
 */
export function defineSchedule<C extends {readonly [key: string]: Json}>(
  id: string,
  who: string,
  config: C,
  value: (step: number) => number,
): Schedule<C> {
  return withSpec({id, config}, (step: number) => value(checkStep(who, step)));
}
