import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {createRegistry} from '@trellis/core';
import {expectUnknownOptionRefused, misspell} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import * as api from './index';

beforeAll(() => tf.setBackend('cpu'));

type Made = {readonly spec: {readonly id: string}};

/** Every export that takes an options object, with one option it reads. */
const takesOptions: Record<string, readonly [(options?: never) => Made, string]> = {
  accuracy: [api.accuracy, 'name'],
  binaryAccuracy: [api.binaryAccuracy, 'threshold'],
  categoricalAccuracy: [api.categoricalAccuracy, 'name'],
  sparseCategoricalAccuracy: [api.sparseCategoricalAccuracy, 'name'],
  topKCategoricalAccuracy: [api.topKCategoricalAccuracy, 'k'],
  sparseTopKCategoricalAccuracy: [api.sparseTopKCategoricalAccuracy, 'k'],
  f1Score: [api.f1Score, 'average'],
  fBetaScore: [api.fBetaScore, 'beta'],
  confusionMatrix: [(o) => api.confusionMatrix({numClasses: 2, ...(o as unknown as object)}), 'numClasses'],
  meanSquaredError: [api.meanSquaredError, 'name'],
  rootMeanSquaredError: [api.rootMeanSquaredError, 'name'],
  meanAbsoluteError: [api.meanAbsoluteError, 'name'],
  meanAbsolutePercentageError: [api.meanAbsolutePercentageError, 'name'],
  meanSquaredLogarithmicError: [api.meanSquaredLogarithmicError, 'name'],
  cosineSimilarity: [api.cosineSimilarity, 'axis'],
  logCoshError: [api.logCoshError, 'name'],
  r2Score: [api.r2Score, 'numRegressors'],
  mean: [(o) => api.mean({fn: (_t: unknown, p: unknown) => p, ...(o as unknown as object)} as never), 'name'],
  defineMetric: [(o) => api.defineMetric({name: 'm', fn: (_t: unknown, p: unknown) => p, ...(o as unknown as object)} as never), 'fn'],
  sum: [(o) => api.sum({fn: (_t: unknown, p: unknown) => p, ...(o as unknown as object)} as never), 'name'],
  truePositives: [api.truePositives, 'thresholds'],
  falsePositives: [api.falsePositives, 'thresholds'],
  trueNegatives: [api.trueNegatives, 'thresholds'],
  falseNegatives: [api.falseNegatives, 'thresholds'],
  precision: [api.precision, 'topK'],
  recall: [api.recall, 'classId'],
  precisionAtRecall: [(o) => api.precisionAtRecall({recall: 0.5, ...(o as unknown as object)}), 'numThresholds'],
  recallAtPrecision: [(o) => api.recallAtPrecision({precision: 0.5, ...(o as unknown as object)}), 'numThresholds'],
  sensitivityAtSpecificity: [(o) => api.sensitivityAtSpecificity({specificity: 0.5, ...(o as unknown as object)}), 'numThresholds'],
  specificityAtSensitivity: [(o) => api.specificityAtSensitivity({sensitivity: 0.5, ...(o as unknown as object)}), 'numThresholds'],
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

/** Exports without an options object. */
const noOptions = ['StreamingMetric', 'metrics', 'metricsPlugin', 'computeMetric', 'computeMetricAsync', 'crosstab'];

/** A misspelling one edit away from `key`. */
const typo = misspell;

const expectRefused = expectUnknownOptionRefused;

describe('unknown options', () => {
  it('the table covers every export', () => {
    expect(Object.keys(api).sort()).toEqual([...Object.keys(takesOptions), ...noOptions].sort());
  });

  it.each(Object.entries(takesOptions))('%s refuses a misspelled option, naming the one it meant', async (who, [make, key]) => {
    await expectRefused(() => make({[typo(key)]: 1} as never), who, key);
  });

  it('every registered id refuses a misspelled option in its spec config', async () => {
    const registry = createRegistry(api.metricsPlugin);
    const byId = new Map(Object.entries(takesOptions).map(([who, [make, key]]) => [make().spec.id, {who, key}]));
    const ids = registry.ids('metric');
    // mean and sum are made from a function: their specs need a fn spec to rebuild (new-metrics-registry.test.ts).
    expect([...byId.keys()].sort()).toEqual(ids);
    for (const id of ids.filter((i) => i !== 'trellis/mean' && i !== 'trellis/sum')) {
      const {who, key} = byId.get(id)!;
      await expectRefused(() => registry.resolve('metric', {id, config: {...requiredConfig[id], [typo(key)]: 1}}), who, key);
    }
  });

  it('accuracy({threshhold}) is refused: accuracy has no threshold (binaryAccuracy does)', () => {
    expect(() => api.accuracy({threshhold: 0.5} as never)).toThrow(/accuracy does not know the option 'threshhold'; it takes 'name'/);
    expect(() => api.binaryAccuracy({threshhold: 0.5} as never)).toThrow(/did you mean 'threshold'\?/);
  });
});
