// Keras' weighted_metrics: metrics given the batch's sample weights, next to
// the unweighted ones, named weighted_<name> when the name is taken.
import * as tf from '@tensorflow/tfjs-core';
import {beforeAll, expect, it} from 'vitest';
import {ConfigError, Sequential, accuracy, createTrellis, dense, setSeed, sgd, sparseCategoricalCrossentropy} from './index';

beforeAll(async () => {
  await createTrellis({backend: 'cpu'});
});

function classifier() {
  setSeed(3);
  const model = new Sequential([dense({units: 3, inputShape: [4]})]);
  model.compile({
    optimizer: sgd({learningRate: 0.1}),
    loss: sparseCategoricalCrossentropy({fromLogits: true}),
    metrics: [accuracy()],
    weightedMetrics: [accuracy()],
  });
  return model;
}

it('evaluate: weighted_accuracy is sum(w · match) / sum(w); accuracy stays unweighted', async () => {
  const model = classifier();
  const x = tf.randomUniform([30, 4], -1, 1, 'float32', 5);
  const ids = Array.from({length: 30}, (_, i) => (i * 5) % 3);
  const y = tf.tensor1d(ids, 'int32');
  const w = Array.from({length: 30}, (_, i) => (i % 3) + 0.5);
  const logs = await model.evaluate(x, y, {sampleWeight: w, batchSize: 7});
  const predicted = tf.tidy(() => tf.argMax(model.predict(x), -1).dataSync());
  const match = ids.map((c, i) => (predicted[i] === c ? 1 : 0));
  const weighted = match.reduce((s: number, m, i) => s + m * w[i]!, 0) / w.reduce((s, v) => s + v, 0);
  const plain = match.reduce((s: number, m) => s + m, 0) / 30;
  expect(Object.keys(logs).sort()).toEqual(['accuracy', 'loss', 'weighted_accuracy']);
  expect(logs.weighted_accuracy).toBeCloseTo(weighted, 6);
  expect(logs.accuracy).toBeCloseTo(plain, 6);
  expect(weighted).not.toBeCloseTo(plain, 3);
  const fitted = await model.fit(x, y, {epochs: 1, batchSize: 10, classWeight: {0: 3}, validationData: [x, y, w]});
  expect(Object.keys(fitted.history).sort()).toEqual([
    'accuracy',
    'loss',
    'val_accuracy',
    'val_loss',
    'val_weighted_accuracy',
    'weighted_accuracy',
  ]);
  tf.dispose([x, y]);
  model.dispose();
});

it('weightedMetrics must be an array (or per output)', () => {
  const model = new Sequential([dense({units: 3, inputShape: [4]})]);
  expect(() => model.compile({optimizer: sgd(), loss: sparseCategoricalCrossentropy(), weightedMetrics: accuracy() as never})).toThrow(
    ConfigError,
  );
  model.dispose();
});
