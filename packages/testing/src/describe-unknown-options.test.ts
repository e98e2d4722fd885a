// The registry checks of the unknown-option suite pass for a factory that refuses a misspelled
// option, and fail for one that accepts it.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {checkOptions, createRegistry, type Schedule} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {catchErrorAsync, expectSpecConfigRefused, specCases} from './index';

beforeAll(() => tf.setBackend('cpu'));

/** A constant schedule, made by a factory that refuses unknown options when `strict`. */
function constant(options: {value?: number} = {}, strict = true): Schedule {
  if (strict) checkOptions('constant', options, ['value']);
  const value = options.value ?? 1;
  return Object.assign(() => value, {spec: {id: 'test/constant', config: {value}}});
}

const registry = (strict: boolean) =>
  createRegistry({
    name: 'test',
    specVersion: 1,
    setup: (r) => r.register('schedule', 'test/constant', (config) => constant(config, strict)),
  });

describe('specCases', () => {
  it('maps the spec id of what each factory makes to its name, option key and spec config', () => {
    const byId = specCases({constant: [constant, 'value'], withValue: [constant, {value: 3}, 'value'], noSpec: [() => 1, 'x']});
    expect([...byId]).toEqual([['test/constant', {who: 'withValue', key: 'value', config: {value: 3}}]]);
    expect(specCases({constant: [constant, 'value']}).get('test/constant')).toEqual({who: 'constant', key: 'value', config: {value: 1}});
  });
});

describe('expectSpecConfigRefused', () => {
  it('passes when the registry refuses the misspelled key, naming the one it meant', async () => {
    const error = await expectSpecConfigRefused(registry(true), 'schedule', 'test/constant', {who: 'constant', key: 'value'});
    expect(error.message).toContain("constant does not know the option 'valuee' (did you mean 'value'?)");
  });

  it('fails when the registry accepts the misspelled key', async () => {
    const error = await catchErrorAsync(() =>
      expectSpecConfigRefused(registry(false), 'schedule', 'test/constant', {who: 'constant', key: 'value', config: {value: 2}}),
    );
    expect(error.message).toBe("constant accepted the misspelled option 'valuee'; expected a ConfigError.");
  });
});
