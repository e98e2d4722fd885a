// Checks that a factory refuses bad options with the expected ConfigError.
import {ConfigError, createRegistry} from '@trellis/core';
import {expect} from 'vitest';
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
