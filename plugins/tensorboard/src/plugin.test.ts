import {ConfigError, createRegistry} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {tensorBoard} from './callback';
import {tensorboardPlugin} from './plugin';

describe('tensorboardPlugin', () => {
  it('rebuilds the callback from its spec, through JSON', () => {
    const registry = createRegistry(tensorboardPlugin);
    expect(registry.ids('callback')).toEqual(['trellis/tensorBoard']);
    const made = tensorBoard({logDir: 'runs/a', histogramFreq: 2});
    const rebuilt = registry.resolve('callback', JSON.parse(JSON.stringify(made.spec)));
    expect((rebuilt as typeof made).spec).toEqual(made.spec);
  });

  it('refuses a config without logDir and a misspelled option', () => {
    const registry = createRegistry(tensorboardPlugin);
    expect(() => registry.resolve('callback', {id: 'trellis/tensorBoard', config: {}})).toThrow(ConfigError);
    expect(() => registry.resolve('callback', {id: 'trellis/tensorBoard', config: {logDir: 'x', histogram_freq: 1}})).toThrow(ConfigError);
  });
});
