import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, createRegistry} from '@trellis/core';
import {
  catchError,
  describeUnknownOptions,
  expectNoNewTensors,
  expectSpecConfigRefused,
  specCases,
  type UnknownOptionCase,
} from '@trellis/testing';
import {beforeAll, expect, it} from 'vitest';
import * as api from './index';

beforeAll(() => tf.setBackend('cpu'));

/** The variance-scaling presets, whose only option is `seed`. */
const presets = ['glorotNormal', 'glorotUniform', 'heNormal', 'heUniform', 'lecunNormal', 'lecunUniform'] as const;

/** Every export that takes an options object, with one option it reads. */
const takesOptions: Record<string, UnknownOptionCase> = {
  ...Object.fromEntries(presets.map((name) => [name, [api[name], 'seed']])),
  constant: [api.constant, 'value'],
  identityInitializer: [api.identityInitializer, 'gain'],
  orthogonal: [api.orthogonal, 'gain'],
  randomNormal: [api.randomNormal, 'stddev'],
  randomUniform: [api.randomUniform, 'maxval'],
  truncatedNormal: [api.truncatedNormal, 'mean'],
  varianceScaling: [api.varianceScaling, 'distribution'],
};

const noOptions = ['TRUNCATED_NORMAL_STDDEV', 'computeFans', 'initializers', 'initializersPlugin', 'ones', 'zeros'];

describeUnknownOptions(api, {takesOptions, noOptions}, () => {
  it('every registered id refuses an unknown key in its spec config', async () => {
    const registry = createRegistry(api.initializersPlugin);
    const byId = specCases(takesOptions);
    for (const id of registry.ids('initializer')) {
      const entry = byId.get(id);
      if (entry) {
        await expectSpecConfigRefused(registry, 'initializer', id, {who: entry.who, key: entry.key});
      } else {
        const who = id.slice('trellis/'.length);
        expect(['ones', 'zeros']).toContain(who);
        let error: Error | undefined;
        await expectNoNewTensors(() => {
          error = catchError(() => registry.resolve('initializer', {id, config: {value: 1}}));
        });
        expect(ConfigError.is(error)).toBe(true);
        expect(error!.message).toContain(`${who} takes no options; got 'value'`);
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
