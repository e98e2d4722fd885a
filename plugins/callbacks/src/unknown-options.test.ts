import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {createRegistry} from '@trellis/core';
import {expectUnknownOptionRefused, misspell} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import * as api from './index';

beforeAll(() => tf.setBackend('cpu'));

/** Every export that takes an options object, with one option it reads, and a valid call. */
const takesOptions: Record<string, readonly [(options?: never) => unknown, string]> = {
  csvLogger: [(o) => api.csvLogger({sink: () => undefined, ...(o as unknown as object)}), 'separator'],
  backupAndRestore: [(o) => api.backupAndRestore({backupDir: 'runs/b', ...(o as unknown as object)}), 'keep'],
  earlyStopping: [api.earlyStopping, 'patience'],
  gradientMonitor: [api.gradientMonitor, 'every'],
  lambdaCallback: [(o) => api.lambdaCallback({...(o as unknown as object)}), 'onEpochEnd'],
  learningRateScheduler: [(o) => api.learningRateScheduler((_, lr) => lr, o), 'verbose'],
  progressBar: [api.progressBar, 'width'],
  reduceLROnPlateau: [api.reduceLROnPlateau, 'cooldown'],
  terminateOnNaN: [api.terminateOnNaN, 'raiseError'],
};

/** Exports without an options object. */
const noOptions = ['callbacks', 'callbacksPlugin'];

describe('unknown options', () => {
  it('the table covers every export', () => {
    expect(Object.keys(api).sort()).toEqual([...Object.keys(takesOptions), ...noOptions].sort());
  });

  it.each(Object.entries(takesOptions))('%s refuses a misspelled option, naming the one it meant', async (who, [make, key]) => {
    await expectUnknownOptionRefused(() => make({[misspell(key)]: 1} as never), who, key);
  });

  it('every registered id refuses a misspelled option in its spec config', async () => {
    const registry = createRegistry(api.callbacksPlugin);
    const keys: Record<string, [string, string]> = {
      'trellis/backupAndRestore': ['backupAndRestore', 'keep'],
      'trellis/csvLogger': ['csvLogger', 'separator'],
      'trellis/earlyStopping': ['earlyStopping', 'patience'],
      'trellis/gradientMonitor': ['gradientMonitor', 'every'],
      'trellis/progressBar': ['progressBar', 'width'],
      'trellis/reduceLROnPlateau': ['reduceLROnPlateau', 'cooldown'],
      'trellis/terminateOnNaN': ['terminateOnNaN', 'raiseError'],
    };
    expect(Object.keys(keys)).toEqual(registry.ids('callback'));
    for (const [id, [who, key]] of Object.entries(keys)) {
      const config =
        id === 'trellis/csvLogger'
          ? {path: 'a.csv', [misspell(key)]: 1}
          : id === 'trellis/backupAndRestore'
            ? {backupDir: 'b', [misspell(key)]: 1}
            : {[misspell(key)]: 1};
      await expectUnknownOptionRefused(() => registry.resolve('callback', {id, config}), who, key);
    }
  });
});
