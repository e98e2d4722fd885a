import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {createRegistry, withSpec, type Metric} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {accuracy} from './accuracy';
import type {AccuracyState} from './accuracy-state';
import {binaryAccuracy} from './binary-accuracy';
import {metricsPlugin} from './plugin';

beforeAll(() => tf.setBackend('cpu'));

describe('metricsPlugin', () => {
  const registry = createRegistry(metricsPlugin);

  it('registers every metric under trellis/ ids of kind metric', () => {
    expect(registry.ids('metric')).toEqual(
      [
        'trellis/accuracy',
        'trellis/binaryAccuracy',
        'trellis/categoricalAccuracy',
        'trellis/sparseCategoricalAccuracy',
        'trellis/topKCategoricalAccuracy',
        'trellis/sparseTopKCategoricalAccuracy',
        'trellis/f1Score',
        'trellis/fBetaScore',
        'trellis/confusionMatrix',
        'trellis/meanSquaredError',
        'trellis/rootMeanSquaredError',
        'trellis/meanAbsoluteError',
        'trellis/meanAbsolutePercentageError',
        'trellis/meanSquaredLogarithmicError',
        'trellis/cosineSimilarity',
        'trellis/logCoshError',
        'trellis/r2Score',
        'trellis/mean',
        'trellis/sum',
        'trellis/truePositives',
        'trellis/falsePositives',
        'trellis/trueNegatives',
        'trellis/falseNegatives',
        'trellis/precision',
        'trellis/recall',
        'trellis/precisionAtRecall',
        'trellis/recallAtPrecision',
        'trellis/sensitivityAtSpecificity',
        'trellis/specificityAtSensitivity',
        'trellis/auc',
      ].sort(),
    );
    expect(registry.resolve('metric', 'accuracy').name).toBe('accuracy');
    expect(registry.resolve('metric', 'sparseCategoricalAccuracy').name).toBe('sparse_categorical_accuracy');
  });

  it('rebuilds a metric from its spec, including a variant picked by forLoss', () => {
    const specs = [
      accuracy({name: 'acc'}).spec,
      binaryAccuracy({threshold: 0}).spec,
      accuracy().forLoss(
        withSpec({id: 'test/bce', config: {}}, () => tf.zeros([1]) as tf.Tensor1D, {
          name: 'bce',
          targetKind: 'binary' as const,
          fromLogits: true,
        }),
      ).spec,
    ];
    for (const spec of specs) {
      const rebuilt = registry.resolve('metric', JSON.parse(JSON.stringify(spec)));
      expect(rebuilt.spec).toEqual(spec);
    }
    const logits = registry.resolve('metric', specs[2]!) as Metric<AccuracyState>;
    const s = logits.init();
    const yTrue = tf.tensor1d([1, 0]);
    const yPred = tf.tensor1d([0.3, -0.2]);
    const n = logits.update(s, yTrue, yPred);
    const r = logits.result(n);
    expect(r.dataSync()[0]).toBe(1);
    expect(logits.name).toBe('accuracy');
    tf.dispose([s, n, r, yTrue, yPred]);
  });
});
