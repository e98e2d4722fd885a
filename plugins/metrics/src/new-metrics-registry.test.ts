// The metrics beyond accuracy in the registry: every id rebuilds an equal metric from its JSON
// spec, refuses a misspelled option, and every factory is on the namespace.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {createRegistry, type Metric} from '@trellis/core';
import {expectUnknownOptionRefused, misspell} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import * as api from './index';

beforeAll(() => tf.setBackend('cpu'));

const made: Record<string, [Metric, string]> = {
  topKCategoricalAccuracy: [api.topKCategoricalAccuracy({k: 3}), 'k'],
  sparseTopKCategoricalAccuracy: [api.sparseTopKCategoricalAccuracy({name: 'top5'}), 'name'],
  f1Score: [api.f1Score({average: 'macro', threshold: 0.4}), 'average'],
  fBetaScore: [api.fBetaScore({beta: 0.5, average: 'weighted'}), 'beta'],
  confusionMatrix: [api.confusionMatrix({numClasses: 4}), 'numClasses'],
  meanSquaredError: [api.meanSquaredError(), 'name'],
  rootMeanSquaredError: [api.rootMeanSquaredError(), 'name'],
  meanAbsoluteError: [api.meanAbsoluteError(), 'name'],
  meanAbsolutePercentageError: [api.meanAbsolutePercentageError(), 'name'],
  meanSquaredLogarithmicError: [api.meanSquaredLogarithmicError(), 'name'],
  cosineSimilarity: [api.cosineSimilarity({axis: 1}), 'axis'],
  logCoshError: [api.logCoshError(), 'name'],
  r2Score: [api.r2Score({classAggregation: null, numRegressors: 2}), 'numRegressors'],
};

describe('metricsPlugin: the metrics beyond accuracy', () => {
  const registry = createRegistry(api.metricsPlugin);

  it.each(Object.entries(made))('%s rebuilds from its JSON spec under trellis/<factory>', (who, [metric]) => {
    expect(metric.spec.id).toBe(`trellis/${who}`);
    const rebuilt = registry.resolve('metric', JSON.parse(JSON.stringify(metric.spec)));
    expect(rebuilt.spec).toEqual(metric.spec);
    expect(rebuilt.name).toBe(metric.name);
    expect((api.metrics as Record<string, unknown>)[who]).toBe((api as Record<string, unknown>)[who]);
  });

  it.each(Object.entries(made))('%s refuses a misspelled option, in the factory and in a spec config', async (who, [metric, key]) => {
    const make = (api as unknown as Record<string, (o: unknown) => unknown>)[who]!;
    const valid = {...(metric.spec.config as Record<string, unknown>)};
    delete valid[key];
    await expectUnknownOptionRefused(() => make({...valid, [misspell(key)]: 1}), who, key);
    await expectUnknownOptionRefused(
      () => registry.resolve('metric', {id: metric.spec.id, config: {...valid, [misspell(key)]: 1} as never}),
      who,
      key,
    );
  });

  it('registers mean and sum, which refuse misspelled options too', async () => {
    expect(registry.has('metric', 'trellis/mean')).toBe(true);
    expect(registry.has('metric', 'trellis/sum')).toBe(true);
    const fn = (t: tf.Tensor) => t;
    await expectUnknownOptionRefused(() => api.mean({fn, [misspell('name')]: 'x'} as never), 'mean', 'name');
    await expectUnknownOptionRefused(() => api.sum({fn, [misspell('name')]: 'x'} as never), 'sum', 'name');
  });
});
