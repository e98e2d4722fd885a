// Checks a named optimizer's config: its Keras defaults, and that it refuses
// bad options with the expected ConfigError.
import {ConfigError, createRegistry, type Json, type Optimizer} from '@trellis/core';
import {expect, it} from 'vitest';
import {optimizersPlugin} from '../src/plugin';

/**
 * `make(options)` throws a ConfigError whose message matches `message`; with
 * `id`, the registry refuses the spec `{id, config: options}` with a ConfigError too.
 */
export function expectConfigError(make: (options: never) => unknown, options: unknown, message: RegExp, id?: string): void {
  expect(() => make(options as never)).toThrow(ConfigError);
  expect(() => make(options as never)).toThrow(message);
  if (id !== undefined) {
    expect(() => createRegistry(optimizersPlugin).resolve('optimizer', {id, config: options as never})).toThrow(ConfigError);
  }
}

/**
 * The `it` of a named optimizer's defaults: `make()` has the spec
 * `{id: 'trellis/<name>', config}`, and the registry resolves the bare `name` to the same spec.
 */
export function itHasKerasDefaults(name: string, make: () => Optimizer, config: Json): void {
  it('has Keras defaults and a JSON spec', () => {
    expect(make().spec).toEqual({id: `trellis/${name}`, config});
    expect(createRegistry(optimizersPlugin).resolve('optimizer', name).spec).toEqual(make().spec);
  });
}
