import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {expectUnknownOptionRefused, misspell} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import * as api from './index';

beforeAll(() => tf.setBackend('cpu'));

/** Every export that takes an options object, with one option it reads. (Options are checked before the container.) */
const takesOptions: Record<string, readonly [(options?: never) => unknown, string]> = {
  confusionMatrixPlot: [(o) => api.confusionMatrixPlot(undefined as never, [[1]], o), 'labels'],
  gradientNormChart: [(o) => api.gradientNormChart(undefined as never, o), 'statistic'],
  gradientNormPlot: [
    (o) => api.gradientNormPlot({container: undefined as never, monitor: {records: []}, ...(o as unknown as object)}),
    'logScale',
  ],
  liveLossChart: [(o) => api.liveLossChart(undefined as never, o), 'metrics'],
  liveLossPlot: [(o) => api.liveLossPlot({container: undefined as never, ...(o as unknown as object)}), 'batchInterval'],
  logFeed: [(o) => api.logFeed(() => undefined, o), 'batchInterval'],
};

/** Exports without an options object. */
const noOptions = ['isPlotEvent', 'plots'];

describe('unknown options', () => {
  it('the table covers every export', () => {
    expect(Object.keys(api).sort()).toEqual([...Object.keys(takesOptions), ...noOptions].sort());
  });

  it.each(Object.entries(takesOptions))('%s refuses a misspelled option, naming the one it meant', async (who, [make, key]) => {
    await expectUnknownOptionRefused(() => make({[misspell(key)]: 1} as never), who, key);
  });
});
