// Precision, recall and AUC as compiled metrics of fit, against Keras'
// model.fit with `metrics=[Precision(), Recall(), AUC()]` (`fit` kind with
// `metrics`): from identical weights, SGD without shuffling, a smaller last
// batch; every per-epoch value of Keras' history (loss and each metric)
// against Trellis' history, on cpu and wasm. Keras resets its metrics every
// epoch, so each value is the metric over that epoch's batches, computed from
// the predictions of the weights at each step.
import * as tf from '@tensorflow/tfjs-core';
import {Sequential, binaryCrossentropy, dense, metrics, sgd, type Metric} from 'trellis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

import {BACKENDS, activate, bits, toTensor, uniformTensor} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {beforeAllKerasFits, type FitCase} from './harness/fit-cases';
import {setWeightsPerLayer} from './harness/mnist-mlp';
import type {TreeOut} from './harness/tensor-tree';

const TOLERANCE = 1e-4;

type MetricFitCase = FitCase & {
  readonly metrics: () => Metric[];
  readonly kerasMetrics: readonly {class_name: string; config?: Record<string, unknown>}[];
};

/**
 * A Keras metric with its name set: Keras numbers the default names of later
 * instances in one process (`precision_1`), which would not match the keys.
 */
const named = (class_name: string, name: string, config: Record<string, unknown> = {}) => ({class_name, config: {...config, name}});

const cases: Record<string, MetricFitCase> = {
  // Case names become folder names: no slashes.
  'binary, dense relu → dense sigmoid, precision, recall, auc': {
    model: () => new Sequential([dense({units: 6, activation: 'relu', inputShape: [5]}), dense({units: 1, activation: 'sigmoid'})]),
    inputShape: [5],
    x: uniformTensor([44, 5], 1200, -2, 2),
    y: {...bits([44], 1201), shape: [44, 1]},
    loss: () => binaryCrossentropy(),
    optimizer: () => sgd({learningRate: 0.2}),
    epochs: 3,
    batchSize: 12,
    metrics: () => [metrics.precision(), metrics.recall(), metrics.auc()],
    kerasMetrics: [named('Precision', 'precision'), named('Recall', 'recall'), named('AUC', 'auc')],
  },
  'multi-label, dense tanh → dense sigmoid ×3, precision, recall, multi-label PR auc': {
    model: () => new Sequential([dense({units: 8, activation: 'tanh', inputShape: [4]}), dense({units: 3, activation: 'sigmoid'})]),
    inputShape: [4],
    x: uniformTensor([30, 4], 1210, -1, 1),
    y: bits([30, 3], 1211),
    loss: () => binaryCrossentropy(),
    optimizer: () => sgd({learningRate: 0.5}),
    epochs: 3,
    batchSize: 8,
    metrics: () => [metrics.precision(), metrics.recall(), metrics.auc({multiLabel: true, curve: 'PR'})],
    kerasMetrics: [named('Precision', 'precision'), named('Recall', 'recall'), named('AUC', 'auc', {multi_label: true, curve: 'PR'})],
  },
};

const {initial, keras} = beforeAllKerasFits('metrics-fit', cases, 57, (c) => ({metrics: c.kerasMetrics as never}), 300_000);

describe.each(BACKENDS)('precision, recall and auc in fit on %s vs Keras', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`${backend}: ${worstErrors()}`));

  it.each(Object.keys(cases))(`%s: history within ${TOLERANCE}`, async (name) => {
    const c = cases[name]!;
    const model = c.model();
    model.compile({optimizer: c.optimizer(), loss: c.loss(), metrics: c.metrics()});
    setWeightsPerLayer(model, initial[name]!);
    const [xs, ys] = [toTensor(c.x), toTensor(c.y)];
    try {
      const history = await model.fit(xs, ys, {epochs: c.epochs, batchSize: c.batchSize, shuffle: false});
      const kerasHistory = field(keras[name], 'history') as Record<string, TreeOut>;
      expect(Object.keys(history.history).sort()).toEqual(Object.keys(kerasHistory).sort());
      for (const key of Object.keys(kerasHistory)) {
        await expectClose(`${backend} ${name} ${key} by epoch`, history.history[key]!, kerasHistory[key] as number[], TOLERANCE);
      }
    } finally {
      tf.dispose([xs, ys]);
      model.dispose();
    }
  });
});
