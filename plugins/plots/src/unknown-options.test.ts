import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {describeUnknownOptions} from '@trellis/testing';
import {beforeAll} from 'vitest';
import * as api from './index';

beforeAll(() => tf.setBackend('cpu'));

// Options are checked before the container.
describeUnknownOptions(api, {
  takesOptions: {
    confusionMatrixPlot: [(o) => api.confusionMatrixPlot(undefined as never, [[1]], o), 'labels'],
    gradientNormChart: [(o) => api.gradientNormChart(undefined as never, o), 'statistic'],
    gradientNormPlot: [(o: object) => api.gradientNormPlot({container: undefined as never, monitor: {records: []}, ...o}), 'logScale'],
    liveLossChart: [(o) => api.liveLossChart(undefined as never, o), 'metrics'],
    liveLossPlot: [(o: object) => api.liveLossPlot({container: undefined as never, ...o}), 'batchInterval'],
    logFeed: [(o) => api.logFeed(() => undefined, o), 'batchInterval'],
  },
  noOptions: ['isPlotEvent', 'plots'],
});
