import {describe, expect, it} from 'vitest';
import {ConfigError, UnknownIdError, isTrellisError} from './errors';
import {createRegistry} from './registry';
import type {Plugin} from './spec/plugin';
import {withSpec} from './with-spec';
import {thrownBy} from '../test/thrown-by';

const fakeLoss = (name: string) =>
  withSpec({id: `trellis/${name}`, config: {}}, (() => null) as never, {name, targetKind: 'regression', fromLogits: false});

describe('createRegistry', () => {
  const plugin: Plugin = {
    name: 'test',
    specVersion: 1,
    setup: (r) => {
      r.register('loss', 'trellis/meanSquaredError', () => fakeLoss('meanSquaredError'));
      r.register('loss', 'acme/huber', () => fakeLoss('huber'));
    },
  };

  it('resolves full ids, bare names and specs', () => {
    const r = createRegistry(plugin);
    expect(r.resolve('loss', 'trellis/meanSquaredError').name).toBe('meanSquaredError');
    expect(r.resolve('loss', 'huber').name).toBe('huber');
    expect(r.resolve('loss', {id: 'acme/huber', config: {}}).name).toBe('huber');
    expect(r.ids('loss')).toEqual(['acme/huber', 'trellis/meanSquaredError']);
  });

  it('lists the known ids of the kind for an unknown id', () => {
    const r = createRegistry(plugin);
    const error = thrownBy(() => r.resolve('loss', 'trellis/nope'));
    expect(error).toBeInstanceOf(UnknownIdError);
    expect(isTrellisError(error)).toBe(true);
    expect((error as Error).message).toContain("Unknown loss id 'trellis/nope'");
    expect((error as Error).message).toContain('acme/huber, trellis/meanSquaredError');
    expect(() => r.resolve('optimizer', 'adam')).toThrow(/none are registered/);
  });

  it('rejects ids without a namespace and duplicates', () => {
    const r = createRegistry(plugin);
    expect(() => r.register('loss', 'huber', () => fakeLoss('x'))).toThrow(ConfigError);
    expect(() => r.register('loss', 'acme/huber', () => fakeLoss('x'))).toThrow(/already registered/);
  });

  it('forks without touching the original', () => {
    const r = createRegistry(plugin);
    const f = r.fork();
    f.register('loss', 'acme/other', () => fakeLoss('other'));
    expect(f.has('loss', 'acme/other')).toBe(true);
    expect(r.has('loss', 'acme/other')).toBe(false);
  });

  it('unregisters', () => {
    const r = createRegistry();
    const off = r.register('loss', 'acme/x', () => fakeLoss('x'));
    off();
    expect(r.has('loss', 'acme/x')).toBe(false);
  });

  it('refuses plugins of another contract version', () => {
    expect(() => createRegistry({name: 'old', specVersion: 2 as 1, setup: () => {}})).toThrow(
      /declares specVersion 2 \(number\).*speaks contract version 1/,
    );
    expect(() => createRegistry({name: 'text', specVersion: '1' as unknown as 1, setup: () => {}})).toThrow(
      /declares specVersion '1' \(string\) \(the string '1'; it must be the number 1\)/,
    );
  });

  it('keeps nothing of a plugin whose setup throws', () => {
    const r = createRegistry(plugin);
    const broken: Plugin = {
      name: 'broken',
      specVersion: 1,
      setup: (registry) => {
        registry.register('loss', 'acme/first', () => fakeLoss('first'));
        registry.register('loss', 'acme/second', () => fakeLoss('second'));
        throw new Error('no licence key');
      },
    };
    const error = thrownBy(() => r.use(broken));
    expect(ConfigError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(/Plugin 'broken' failed in setup: no licence key\. Nothing it registered was kept/);
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(r.has('loss', 'acme/first')).toBe(false);
    expect(r.has('loss', 'acme/second')).toBe(false);
    expect(r.ids('loss')).toEqual(['acme/huber', 'trellis/meanSquaredError']);
    // The plugin's ids are free again once it is fixed.
    r.use({...broken, setup: (registry) => void registry.register('loss', 'acme/first', () => fakeLoss('first'))});
    expect(r.has('loss', 'acme/first')).toBe(true);
  });

  it('checks what a factory returns against its kind, naming the plugin and the id', () => {
    const bad: Plugin = {
      name: 'acme-bad',
      specVersion: 1,
      setup: (registry) => {
        registry.register('loss', 'acme/answer', () => 42 as never);
        registry.register('metric', 'acme/nothing', () => null as never);
        registry.register('optimizer', 'acme/empty', () => ({}) as never);
      },
    };
    const r = createRegistry(bad);
    expect(() => r.resolve('loss', 'answer')).toThrow(
      /loss factory registered as 'acme\/answer' by plugin 'acme-bad' returned 42 \(number\); a loss must be a function/,
    );
    expect(() => r.resolve('metric', 'acme/nothing')).toThrow(
      /metric factory registered as 'acme\/nothing' by plugin 'acme-bad' returned null/,
    );
    expect(() => r.resolve('optimizer', 'acme/empty')).toThrow(ConfigError);
    // Registered outside a plugin: named by id alone.
    r.register('layer', 'acme/not-a-layer', () => 'dense' as never);
    expect(() => r.resolve('layer', 'acme/not-a-layer')).toThrow(
      /layer factory registered as 'acme\/not-a-layer' returned 'dense' \(string\)/,
    );
  });

  it('hands factories the resolving registry, forks included', () => {
    const r = createRegistry(plugin);
    r.register('loss', 'acme/wrapper', (config: {inner: string}, registry) => registry.resolve('loss', config.inner));
    const f = r.fork();
    f.register('loss', 'acme/only-in-fork', () => fakeLoss('forked'));
    expect(f.resolve('loss', {id: 'acme/wrapper', config: {inner: 'acme/only-in-fork'}}).name).toBe('forked');
    expect(() => r.resolve('loss', {id: 'acme/wrapper', config: {inner: 'acme/only-in-fork'}})).toThrow(UnknownIdError);
  });

  it('reports ambiguous bare names', () => {
    const r = createRegistry(plugin);
    r.register('loss', 'acme/meanSquaredError', () => fakeLoss('m'));
    expect(() => r.resolve('loss', 'meanSquaredError')).toThrow(/ambiguous/);
  });
});
