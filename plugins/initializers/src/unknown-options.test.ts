import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, createRegistry} from '@trellis/core';
import {catchError, expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import * as api from './index';

beforeAll(() => tf.setBackend('cpu'));

type Made = {readonly spec: {readonly id: string}};

/** The variance-scaling presets, whose only option is `seed`. */
const presets = ['glorotNormal', 'glorotUniform', 'heNormal', 'heUniform', 'lecunNormal', 'lecunUniform'] as const;

/** Every export that takes an options object, with one option it reads. */
const takesOptions: Record<string, readonly [(options?: never) => Made, string]> = {
  ...Object.fromEntries(presets.map((name) => [name, [api[name], 'seed']])),
  constant: [api.constant, 'value'],
  identityInitializer: [api.identityInitializer, 'gain'],
  orthogonal: [api.orthogonal, 'gain'],
  randomNormal: [api.randomNormal, 'stddev'],
  randomUniform: [api.randomUniform, 'maxval'],
  truncatedNormal: [api.truncatedNormal, 'mean'],
  varianceScaling: [api.varianceScaling, 'distribution'],
};

/** Exports without an options object. */
const noOptions = ['TRUNCATED_NORMAL_STDDEV', 'computeFans', 'initializers', 'initializersPlugin', 'ones', 'zeros'];

/** A misspelling one edit away from `key`. */
const typo = (key: string) => `${key}${key.at(-1)}`;

/** `run` throws a ConfigError containing `message`, and leaves no tensor behind. */
async function expectRefused(run: () => unknown, message: string) {
  let error: Error | undefined;
  await expectNoNewTensors(() => {
    error = catchError(run);
  });
  expect(ConfigError.is(error)).toBe(true);
  expect(error!.message).toContain(message);
}

const refusal = (who: string, key: string) => `${who} does not know the option '${typo(key)}' (did you mean '${key}'?)`;

describe('unknown options', () => {
  it('the table covers every export', () => {
    expect(Object.keys(api).sort()).toEqual([...Object.keys(takesOptions), ...noOptions].sort());
  });

  it.each(Object.entries(takesOptions))('%s refuses a misspelled option, naming the one it meant', async (who, [make, key]) => {
    await expectRefused(() => make({[typo(key)]: 1} as never), refusal(who, key));
  });

  it('every registered id refuses an unknown key in its spec config', async () => {
    const registry = createRegistry(api.initializersPlugin);
    const byId = new Map(Object.entries(takesOptions).map(([who, [make, key]]) => [make().spec.id, {who, key}]));
    for (const id of registry.ids('initializer')) {
      const entry = byId.get(id);
      if (entry) {
        await expectRefused(() => registry.resolve('initializer', {id, config: {[typo(entry.key)]: 1}}), refusal(entry.who, entry.key));
      } else {
        const who = id.slice('trellis/'.length);
        expect(['ones', 'zeros']).toContain(who);
        await expectRefused(() => registry.resolve('initializer', {id, config: {value: 1}}), `${who} takes no options; got 'value'`);
      }
    }
  });

  it('refuses options that are not objects', () => {
    expect(() => api.randomNormal(0.05 as never)).toThrow(
      /randomNormal expects an options object such as \{mean: \.\.\., stddev: \.\.\.\}; got 0.05/,
    );
    expect(() => api.glorotUniform(1 as never)).toThrow(ConfigError);
    expect(() => api.varianceScaling([] as never)).toThrow(ConfigError);
  });
});
