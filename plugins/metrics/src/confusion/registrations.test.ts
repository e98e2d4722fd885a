import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {createRegistry, type Plugin} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import * as api from './index';
import {confusionMetricFactories} from './registrations';

beforeAll(() => tf.setBackend('cpu'));

/** One configured instance of every factory (the *At* metrics need their target). */
const samples = [
  api.truePositives({thresholds: [0.2, 0.8]}),
  api.falsePositives(),
  api.trueNegatives({thresholds: 0.3}),
  api.falseNegatives({name: 'fn'}),
  api.precision({topK: 2, classId: 1}),
  api.recall({thresholds: [0.4, 0.6]}),
  api.precisionAtRecall({recall: 0.8, numThresholds: 50}),
  api.recallAtPrecision({precision: 0.7, classId: 2}),
  api.sensitivityAtSpecificity({specificity: 0.5}),
  api.specificityAtSensitivity({sensitivity: 0.9, numThresholds: 10}),
  api.auc({curve: 'PR', multiLabel: true, numLabels: 3, labelWeights: [1, 2, 3]}),
];

describe('confusionMetricFactories', () => {
  it('has one factory per metric, keyed by trellis/<factory name>', () => {
    const factoryNames = Object.keys(api).filter((k) => typeof (api as Record<string, unknown>)[k] === 'function');
    expect(Object.keys(confusionMetricFactories).sort()).toEqual(factoryNames.map((n) => `trellis/${n}`).sort());
    expect(samples.map((m) => m.spec.id).sort()).toEqual(Object.keys(confusionMetricFactories).sort());
  });

  it('rebuilds every metric from its spec, through a registry too', () => {
    const plugin: Plugin = {
      name: 'confusion-test',
      specVersion: 1,
      setup(registry) {
        for (const [id, factory] of Object.entries(confusionMetricFactories)) registry.register('metric', id, factory);
      },
    };
    const registry = createRegistry(plugin);
    for (const m of samples) {
      expect(confusionMetricFactories[m.spec.id]!(JSON.parse(JSON.stringify(m.spec.config))).spec).toEqual(m.spec);
      expect(registry.resolve('metric', m.spec).spec).toEqual(m.spec);
    }
  });

  it('builds the defaults from a missing config, except for the *At* metrics which need a target', () => {
    expect(confusionMetricFactories['trellis/precision']!(undefined).name).toBe('precision');
    expect(confusionMetricFactories['trellis/auc']!(null).name).toBe('auc');
    expect(() => confusionMetricFactories['trellis/precisionAtRecall']!(undefined)).toThrow(/precisionAtRecall: recall is required/);
  });
});
