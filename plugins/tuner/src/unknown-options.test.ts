// Every export that takes an options object refuses a misspelled option, naming the one it meant.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {expectUnknownOptionRefused, misspell} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import * as api from './index';

beforeAll(() => tf.setBackend('cpu'));

const runTrial = () => 0;
/** Every export that takes an options object, with one option it reads. */
const takesOptions: Record<string, readonly [(options?: never) => unknown, string]> = {
  randomSearch: [(o) => api.randomSearch({runTrial, ...(o as unknown as object)}), 'maxTrials'],
  gridSearch: [(o) => api.gridSearch({runTrial, ...(o as unknown as object)}), 'maxTrials'],
  hyperband: [(o) => api.hyperband({runTrial, ...(o as unknown as object)}), 'hyperbandIterations'],
  bayesianOptimization: [(o) => api.bayesianOptimization({runTrial, ...(o as unknown as object)}), 'numInitialPoints'],
  hyperbandSchedule: [(o) => api.hyperbandSchedule({...(o as unknown as object)}), 'factor'],
};
/** Exports without an options object (classes, the namespace), and those another module tests. */
const noOptions = ['HyperParameters', 'Tuner', 'tuner'];

describe('unknown options', () => {
  it('the table covers every export', () => {
    const others = Object.keys(api).filter((k) => !(k in takesOptions) && !noOptions.includes(k));
    // Exports of the learning-rate finder are checked by its own tests.
    expect(others.every((k) => /^lrFinder|^LrFinder/i.test(k))).toBe(true);
  });

  it.each(Object.entries(takesOptions))('%s refuses a misspelled option, naming the one it meant', async (who, [make, key]) => {
    await expectUnknownOptionRefused(() => make({[misspell(key)]: 1} as never), who, key);
  });

  it('hp.int refuses a misspelled option', async () => {
    await expectUnknownOptionRefused(
      () => new api.HyperParameters().int('n', {min: 1, max: 3, [misspell('sampling')]: 'log'} as never),
      "hp.int('n')",
      'sampling',
    );
  });
});
