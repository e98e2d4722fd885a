/**
 * `aliasOf()`: a second spelling of a registered id.
 * @module
 */
import type {Json} from './spec/json';
import type {Factory, Kind} from './spec/plugin';

const ALIAS = Symbol.for('@trellis/core/alias-of');

/**
 * A factory to register under another spelling of the id `id` (Keras'
 * `'mse'` for `trellis/meanSquaredError`): it resolves `{id, config}` through
 * the registry resolving it, so the object built is the canonical one and
 * its spec carries the canonical id. A registry finds an alias like any id
 * (`'mse'` matches `trellis/mse`) but leaves it out of `ids(kind)`, and an
 * unknown id's error names aliases among the close matches. `defaults`
 * are config keys the alias sets unless its config gives them (Keras' `'acc'`
 * is accuracy named `acc`).
 *
 * @example
 * registry.register('loss', 'trellis/mse', aliasOf('loss', 'trellis/meanSquaredError'));
 */
export function aliasOf<K extends Kind>(kind: K, id: string, defaults?: {readonly [key: string]: Json}): Factory<K> {
  const factory: Factory<K> = (config, registry) =>
    registry.resolve(kind, {id, config: defaults ? {...defaults, ...((config ?? {}) as object)} : (config ?? {})});
  return Object.assign(factory, {[ALIAS]: id});
}

/** Whether `factory` was made by {@link aliasOf} (by any copy of this package). */
export function isAlias(factory: unknown): boolean {
  return typeof factory === 'function' && typeof (factory as unknown as Record<symbol, unknown>)[ALIAS] === 'string';
}
