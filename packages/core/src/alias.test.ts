import {describe, expect, it} from 'vitest';
import {aliasOf} from './alias';
import {UnknownIdError} from './errors';
import {createRegistry} from './registry';
import type {Plugin} from './spec/plugin';
import {withSpec} from './with-spec';
import {thrownBy} from '../test/thrown-by';

const fakeLoss = (name: string, config: object = {}) =>
  withSpec({id: `trellis/${name}`, config: config as never}, (() => null) as never, {name, targetKind: 'regression', fromLogits: false});

const plugin: Plugin = {
  name: 'test',
  specVersion: 1,
  setup: (r) => {
    r.register('loss', 'trellis/meanSquaredError', (config) => fakeLoss('meanSquaredError', config));
    r.register('loss', 'trellis/mse', aliasOf('loss', 'trellis/meanSquaredError'));
  },
};

describe('aliasOf', () => {
  it('resolves to the canonical object, config passed on, by full id or bare name', () => {
    const r = createRegistry(plugin);
    expect(r.resolve('loss', 'mse').spec).toEqual({id: 'trellis/meanSquaredError', config: {}});
    expect(r.resolve('loss', {id: 'trellis/mse', config: {delta: 2}}).spec).toEqual({id: 'trellis/meanSquaredError', config: {delta: 2}});
    expect(r.has('loss', 'mse')).toBe(true);
  });

  it('sets its default config keys unless the config gives them', () => {
    const r = createRegistry(plugin, {
      name: 'named',
      specVersion: 1,
      setup: (reg) => reg.register('loss', 'trellis/named_mse', aliasOf('loss', 'trellis/meanSquaredError', {name: 'named'})),
    });
    expect(r.resolve('loss', 'named_mse').spec).toEqual({id: 'trellis/meanSquaredError', config: {name: 'named'}});
    expect(r.resolve('loss', {id: 'trellis/named_mse', config: {name: 'mine'}}).spec).toEqual({
      id: 'trellis/meanSquaredError',
      config: {name: 'mine'},
    });
    expect(r.ids('loss')).toEqual(['trellis/meanSquaredError']);
  });

  it('is left out of ids() but named among the close matches of an unknown id', () => {
    const r = createRegistry(plugin);
    expect(r.ids('loss')).toEqual(['trellis/meanSquaredError']);
    const error = thrownBy(() => r.resolve('loss', 'msee'));
    expect(error).toBeInstanceOf(UnknownIdError);
    expect((error as UnknownIdError).closeMatches).toEqual(['trellis/mse']);
    expect((error as Error).message).toBe(
      "Unknown loss id 'msee' (did you mean 'trellis/mse'? known ids: trellis/meanSquaredError). " +
        'Register the plugin that provides it (registry.use(plugin), or call createTrellis()) or check the spelling.',
    );
  });

  it('follows a fork: the alias resolves through the registry resolving it', () => {
    const r = createRegistry(plugin).fork();
    expect(r.resolve('loss', 'trellis/mse').name).toBe('meanSquaredError');
  });
});

describe('UnknownIdError close matches', () => {
  it('ignore case, _ and -, allow a few typos, and are empty when nothing is close', () => {
    const known = ['trellis/binaryCrossentropy', 'trellis/hinge', 'trellis/huber'];
    expect(new UnknownIdError('loss', 'binary_crossentropy', known).closeMatches).toEqual(['trellis/binaryCrossentropy']);
    expect(new UnknownIdError('loss', 'Hinge', known).closeMatches).toEqual(['trellis/hinge']);
    expect(new UnknownIdError('loss', 'hubre', known).closeMatches).toEqual(['trellis/huber']);
    expect(new UnknownIdError('loss', 'ctc', known).closeMatches).toEqual([]);
    expect(new UnknownIdError('loss', 'ctc', known).message).not.toContain('did you mean');
  });
});

describe('registry.use', () => {
  it('skips a plugin object it has already set up (also in a fork), so an assembly can be set up twice', () => {
    let runs = 0;
    const counted: Plugin = {name: 'counted', specVersion: 1, setup: (r) => (runs++, r.register('loss', 'acme/x', () => fakeLoss('x')))};
    const r = createRegistry(counted);
    r.use(counted);
    r.fork().use(counted);
    expect(runs).toBe(1);
    // A different plugin object registering a taken id still fails.
    expect(() => r.use({...counted})).toThrow(/already registered/);
  });
});
