// The registry and plugins on hostile input: plugins for another contract
// version, a setup that fails half-way (atomic: nothing stays registered),
// ids without a namespace, duplicate and ambiguous ids, bad factories.
import {beforeAll, describe, expect, it} from 'vitest';
import {ConfigError, UnknownIdError, createTrellis, meanSquaredError, type Plugin} from '../index';
import {createRegistry} from '@trellis/core';
import {describeError, expectRefused} from './expect-refused';
import {setUp} from './fixtures';

beforeAll(async () => {
  await setUp();
});

const plugin = (name: string, setup: Plugin['setup'], specVersion: unknown = 1): Plugin => ({name, specVersion, setup}) as Plugin;

describe('registry.use refuses plugins it cannot set up', {timeout: 10_000}, () => {
  it("specVersion '1' (a string): the message shows the value with its type", async () => {
    const error = await expectRefused(
      () => createRegistry().use(plugin('acme-strings', () => {}, '1')),
      ConfigError,
      'acme-strings',
      "'1' (string)",
    );
    expect(error.message, 'must not read "targets version 1 ... speaks version 1"').not.toMatch(/version 1\b[^]*version 1\b/);
  });

  it('specVersion 2', () => expectRefused(() => createRegistry().use(plugin('acme-future', () => {}, 2)), ConfigError, 'acme-future', '2'));

  it('specVersion missing', () =>
    expectRefused(() => createRegistry().use({name: 'acme-old', setup() {}} as never), ConfigError, 'acme-old', 'undefined'));

  it('a plugin without setup', () =>
    expectRefused(() => createRegistry().use({name: 'acme-empty', specVersion: 1} as never), ConfigError, 'setup'));

  it('use(null)', () => expectRefused(() => createRegistry().use(null as never), ConfigError, 'null'));

  it('a setup that registers two ids, then throws: neither id stays registered (atomic)', () => {
    const registry = createRegistry();
    const boom = new Error('setup failed half-way');
    const halfWay = plugin('acme-half', (r) => {
      r.register('loss', 'acme/one', () => meanSquaredError());
      r.register('loss', 'acme/two', () => meanSquaredError());
      throw boom;
    });
    let error: unknown;
    try {
      registry.use(halfWay);
    } catch (e) {
      error = e;
    }
    expect(error, 'use() must throw').toBeDefined();
    expect(error === boom || (error as Error).cause === boom, `the setup's error (or one caused by it), got ${describeError(error)}`).toBe(
      true,
    );
    expect(registry.has('loss', 'acme/one')).toBe(false);
    expect(registry.has('loss', 'acme/two')).toBe(false);
    expect(registry.ids('loss')).toEqual([]);
  });

  it('a setup that registers an id another plugin holds: refused, and its own earlier ids are rolled back', () => {
    const registry = createRegistry(plugin('acme-first', (r) => void r.register('loss', 'acme/taken', () => meanSquaredError())));
    const second = plugin('acme-second', (r) => {
      r.register('loss', 'acme/fresh', () => meanSquaredError());
      r.register('loss', 'acme/taken', () => meanSquaredError());
    });
    expect(() => registry.use(second)).toThrow(/acme\/taken/);
    expect(registry.ids('loss')).toEqual(['acme/taken']);
  });

  it('of two plugins in one use(), the second failing leaves the first set up and nothing of the second', () => {
    const registry = createRegistry();
    const good = plugin('acme-good', (r) => void r.register('loss', 'acme/good', () => meanSquaredError()));
    const bad = plugin('acme-bad', (r) => {
      r.register('loss', 'acme/bad', () => meanSquaredError());
      throw new Error('nope');
    });
    expect(() => registry.use(good, bad)).toThrow();
    expect(registry.has('loss', 'acme/bad')).toBe(false);
  });
});

describe('registry.register and resolve refuse bad ids', {timeout: 10_000}, () => {
  it("an id without a namespace 'myloss'", () =>
    expectRefused(() => createRegistry().register('loss', 'myloss', () => meanSquaredError()), ConfigError, 'myloss', 'owner/name'));

  it("an id with an empty namespace '/loss'", () =>
    expectRefused(() => createRegistry().register('loss', '/loss', () => meanSquaredError()), ConfigError, '/loss'));

  it('an id that is not a string (42)', () =>
    expectRefused(() => createRegistry().register('loss', 42 as never, () => meanSquaredError()), ConfigError, '42'));

  it("a duplicate id 'acme/dup' with another factory", () => {
    const registry = createRegistry();
    registry.register('loss', 'acme/dup', () => meanSquaredError());
    return expectRefused(() => registry.register('loss', 'acme/dup', () => meanSquaredError()), ConfigError, 'acme/dup');
  });

  it('a factory that is not a function', () =>
    expectRefused(() => createRegistry().register('loss', 'acme/x', 42 as never), ConfigError, 'acme/x', '42'));

  it("an unknown id 'acme/missing': UnknownIdError with kind, id and the known ids", async () => {
    const registry = createRegistry();
    registry.register('loss', 'acme/known', () => meanSquaredError());
    const error = await expectRefused(() => registry.resolve('loss', 'acme/missing'), UnknownIdError, 'acme/missing', 'acme/known');
    expect(error).toMatchObject({kind: 'loss', id: 'acme/missing', knownIds: ['acme/known']});
  });

  it("an ambiguous bare name 'mse' (acme/mse and other/mse)", () => {
    const registry = createRegistry();
    registry.register('loss', 'acme/mse', () => meanSquaredError());
    registry.register('loss', 'other/mse', () => meanSquaredError());
    return expectRefused(() => registry.resolve('loss', 'mse'), ConfigError, 'acme/mse', 'other/mse');
  });

  it('a spec whose id is not a string ({id: 42})', () =>
    expectRefused(() => createRegistry().resolve('loss', {id: 42, config: {}} as never), ConfigError, '42'));

  it("createTrellis({backend: 'gpu'})", () => expectRefused(() => createTrellis({backend: 'gpu' as never}), ConfigError, "'gpu'"));
});
