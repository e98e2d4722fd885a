// Every export that takes an options object refuses a misspelled option, naming the one it meant.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {describeUnknownOptions, expectUnknownOptionRefused, misspell} from '@trellis/testing';
import {beforeAll, it} from 'vitest';
import * as api from './index';

beforeAll(() => tf.setBackend('cpu'));

const runTrial = () => 0;

describeUnknownOptions(
  api,
  {
    takesOptions: {
      randomSearch: [(o: object) => api.randomSearch({runTrial, ...o}), 'maxTrials'],
      gridSearch: [(o: object) => api.gridSearch({runTrial, ...o}), 'maxTrials'],
      hyperband: [(o: object) => api.hyperband({runTrial, ...o}), 'hyperbandIterations'],
      bayesianOptimization: [(o: object) => api.bayesianOptimization({runTrial, ...o}), 'numInitialPoints'],
      hyperbandSchedule: [(o: object) => api.hyperbandSchedule({...o}), 'factor'],
    },
    // Classes and the namespace.
    noOptions: ['HyperParameters', 'Tuner', 'tuner'],
    // Exports of the learning-rate finder are checked by its own tests.
    testedElsewhere: /^lrFinder|^LrFinder/i,
  },
  () => {
    it('hp.int refuses a misspelled option', async () => {
      await expectUnknownOptionRefused(
        () => new api.HyperParameters().int('n', {min: 1, max: 3, [misspell('sampling')]: 'log'} as never),
        "hp.int('n')",
        'sampling',
      );
    });
  },
);
