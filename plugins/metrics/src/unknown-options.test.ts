import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {createRegistry} from '@trellis/core';
import {describeUnknownOptions, expectSpecConfigRefused, specCases, type UnknownOptionCase} from '@trellis/testing';
import {beforeAll, expect, it} from 'vitest';
import * as api from './index';

beforeAll(() => tf.setBackend('cpu'));

/** A metric computed by `fn`, for the factories that need one. */
const fn = (_t: unknown, p: unknown) => p;

/** Every export that takes an options object, with one option it reads. */
const takesOptions: Record<string, UnknownOptionCase> = {
  accuracy: [api.accuracy, 'name'],
  binaryAccuracy: [api.binaryAccuracy, 'threshold'],
  categoricalAccuracy: [api.categoricalAccuracy, 'name'],
  sparseCategoricalAccuracy: [api.sparseCategoricalAccuracy, 'name'],
  topKCategoricalAccuracy: [api.topKCategoricalAccuracy, 'k'],
  sparseTopKCategoricalAccuracy: [api.sparseTopKCategoricalAccuracy, 'k'],
  f1Score: [api.f1Score, 'average'],
  fBetaScore: [api.fBetaScore, 'beta'],
  confusionMatrix: [(o: object) => api.confusionMatrix({numClasses: 2, ...o}), 'numClasses'],
  meanSquaredError: [api.meanSquaredError, 'name'],
  rootMeanSquaredError: [api.rootMeanSquaredError, 'name'],
  meanAbsoluteError: [api.meanAbsoluteError, 'name'],
  meanAbsolutePercentageError: [api.meanAbsolutePercentageError, 'name'],
  meanSquaredLogarithmicError: [api.meanSquaredLogarithmicError, 'name'],
  cosineSimilarity: [api.cosineSimilarity, 'axis'],
  logCoshError: [api.logCoshError, 'name'],
  r2Score: [api.r2Score, 'numRegressors'],
  mean: [(o: object) => api.mean({fn, ...o} as never), 'name'],
  defineMetric: [(o: object) => api.defineMetric({name: 'm', fn, ...o} as never), 'fn'],
  sum: [(o: object) => api.sum({fn, ...o} as never), 'name'],
  truePositives: [api.truePositives, 'thresholds'],
  falsePositives: [api.falsePositives, 'thresholds'],
  trueNegatives: [api.trueNegatives, 'thresholds'],
  falseNegatives: [api.falseNegatives, 'thresholds'],
  precision: [api.precision, 'topK'],
  recall: [api.recall, 'classId'],
  precisionAtRecall: [(o: object) => api.precisionAtRecall({recall: 0.5, ...o}), 'numThresholds'],
  recallAtPrecision: [(o: object) => api.recallAtPrecision({precision: 0.5, ...o}), 'numThresholds'],
  sensitivityAtSpecificity: [(o: object) => api.sensitivityAtSpecificity({specificity: 0.5, ...o}), 'numThresholds'],
  specificityAtSensitivity: [(o: object) => api.specificityAtSensitivity({sensitivity: 0.5, ...o}), 'numThresholds'],
  auc: [api.auc, 'curve'],
};

/** The JSON config a registry needs besides the misspelled key (required options, a serializable fn). */
const requiredConfig: Record<string, Record<string, number>> = {
  'trellis/confusionMatrix': {numClasses: 2},
  'trellis/precisionAtRecall': {recall: 0.5},
  'trellis/recallAtPrecision': {precision: 0.5},
  'trellis/sensitivityAtSpecificity': {specificity: 0.5},
  'trellis/specificityAtSensitivity': {sensitivity: 0.5},
};

const noOptions = ['StreamingMetric', 'metrics', 'metricsPlugin', 'computeMetric', 'computeMetricAsync', 'crosstab'];

describeUnknownOptions(api, {takesOptions, noOptions}, () => {
  it('every registered id refuses a misspelled option in its spec config', async () => {
    const registry = createRegistry(api.metricsPlugin);
    const byId = specCases(takesOptions);
    const ids = registry.ids('metric');
    // mean and sum are made from a function: their specs need a fn spec to rebuild (new-metrics-registry.test.ts).
    expect([...byId.keys()].sort()).toEqual(ids);
    for (const id of ids.filter((i) => i !== 'trellis/mean' && i !== 'trellis/sum')) {
      const {who, key} = byId.get(id)!;
      await expectSpecConfigRefused(registry, 'metric', id, {who, key, config: requiredConfig[id]});
    }
  });

  it('accuracy({threshhold}) is refused: accuracy has no threshold (binaryAccuracy does)', () => {
    expect(() => api.accuracy({threshhold: 0.5} as never)).toThrow(/accuracy does not know the option 'threshhold'; it takes 'name'/);
    expect(() => api.binaryAccuracy({threshhold: 0.5} as never)).toThrow(/did you mean 'threshold'\?/);
  });
});
