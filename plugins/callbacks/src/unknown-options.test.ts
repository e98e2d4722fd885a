import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {createRegistry} from '@trellis/core';
import {describeUnknownOptions, expectSpecConfigRefused} from '@trellis/testing';
import {beforeAll, expect, it} from 'vitest';
import * as api from './index';

beforeAll(() => tf.setBackend('cpu'));

describeUnknownOptions(
  api,
  {
    takesOptions: {
      csvLogger: [(o: object) => api.csvLogger({sink: () => undefined, ...o}), 'separator'],
      backupAndRestore: [(o: object) => api.backupAndRestore({backupDir: 'runs/b', ...o}), 'keep'],
      earlyStopping: [api.earlyStopping, 'patience'],
      gradientMonitor: [api.gradientMonitor, 'every'],
      lambdaCallback: [(o: object) => api.lambdaCallback({...o}), 'onEpochEnd'],
      learningRateScheduler: [(o) => api.learningRateScheduler((_, lr) => lr, o), 'verbose'],
      progressBar: [api.progressBar, 'width'],
      reduceLROnPlateau: [api.reduceLROnPlateau, 'cooldown'],
      terminateOnNaN: [api.terminateOnNaN, 'raiseError'],
    },
    noOptions: ['callbacks', 'callbacksPlugin'],
  },
  () => {
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
      /** The options the spec configs need besides the misspelled one. */
      const required: Record<string, object> = {'trellis/csvLogger': {path: 'a.csv'}, 'trellis/backupAndRestore': {backupDir: 'b'}};
      expect(Object.keys(keys)).toEqual(registry.ids('callback'));
      for (const [id, [who, key]] of Object.entries(keys)) {
        await expectSpecConfigRefused(registry, 'callback', id, {who, key, config: required[id]});
      }
    });
  },
);
