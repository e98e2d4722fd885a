// A two-input, two-output functional model with a shared layer, trained 3
// epochs with lossWeights, per-output sampleWeight and classWeight, against
// the same keras.Model trained by Keras' fit from identical weights: the
// total loss, each output's loss (Keras' `<output>_loss`), an accuracy and a
// weighted accuracy (Keras' weighted_metrics) of one output, and the weights.
import * as tf from '@tensorflow/tfjs-core';
import {
  accuracy,
  adam,
  dense,
  input,
  layers,
  meanSquaredError,
  model,
  setSeed,
  sgd,
  sparseCategoricalCrossentropy,
  type FunctionalModel,
  type Optimizer,
} from 'trellis';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {BACKENDS, activate, classIds, toTensor, uniformTensor} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {describeGraph} from './harness/functional-graph';
import {kerasLoss, kerasOptimizer} from './harness/keras-config';
import {runKeras, type KerasCase} from './harness/keras';
import type {HostTensor, TreeOut} from './harness/tensor-tree';

const TOLERANCE = 1e-4;
const SAMPLES = 40;

function build(): FunctionalModel<tf.Tensor[]> {
  setSeed(21);
  const a = input({shape: [6], name: 'a'});
  const b = input({shape: [6], name: 'b'});
  const tower = dense({units: 5, activation: 'tanh', name: 'tower'});
  const side = dense({units: 4, activation: 'relu', name: 'side'}).apply(b);
  const merged = layers.concatenate({name: 'merged'}).apply([tower.apply(a), tower.apply(b), side]);
  const score = dense({units: 1, name: 'score'}).apply(merged);
  const label = dense({units: 3, activation: 'softmax', name: 'label'}).apply(merged);
  return model({inputs: [a, b], outputs: [score, label]});
}

type Case = {optimizer: () => Optimizer; lossWeights: number[]; sampleWeight: boolean; classWeight: boolean};
const cases: Record<string, Case> = {
  sgdMomentumAllWeights: {
    optimizer: () => sgd({learningRate: 0.05, momentum: 0.9}),
    lossWeights: [0.5, 2],
    sampleWeight: true,
    classWeight: true,
  },
  adamLossWeightsOnly: {optimizer: () => adam({learningRate: 0.01}), lossWeights: [1.5, 0.25], sampleWeight: false, classWeight: false},
  adamClassWeightOnly: {optimizer: () => adam({learningRate: 0.01}), lossWeights: [1, 1], sampleWeight: false, classWeight: true},
};
const CLASS_WEIGHT = {0: 2, 2: 0.5};

const data = {
  a: uniformTensor([SAMPLES, 6], 301),
  b: uniformTensor([SAMPLES, 6], 302),
  score: uniformTensor([SAMPLES, 1], 303),
  label: classIds([SAMPLES], 3, 304),
  scoreWeight: uniformTensor([SAMPLES], 305, 0.2, 1.5),
  labelWeight: uniformTensor([SAMPLES], 306, 0.2, 1.5),
};
const initial: Record<string, Record<string, HostTensor>> = {};
let keras: Record<string, TreeOut>;

beforeAll(async () => {
  await activate('cpu');
  const kerasCases: Record<string, KerasCase> = {};
  for (const [name, c] of Object.entries(cases)) {
    const net = build();
    const graph = describeGraph(net as FunctionalModel);
    const weights: Record<string, Record<string, HostTensor>> = {};
    for (const w of net.weights) {
      const [layer, short] = w.name.split('/') as [string, string];
      weights[layer] ??= {};
      weights[layer]![short] = {dtype: 'float32', shape: w.variable.shape, values: (await w.variable.data()) as Float32Array};
    }
    Object.assign(initial, {[name]: weights});
    kerasCases[name] = {
      kind: 'functionalFit',
      inputs: graph.inputs,
      layers: graph.layers,
      outputs: graph.outputs,
      weights,
      x: [data.a, data.b],
      y: [data.score, data.label],
      losses: [kerasLoss(meanSquaredError()), kerasLoss(sparseCategoricalCrossentropy())],
      lossWeights: c.lossWeights,
      ...(c.sampleWeight ? {sampleWeight: [data.scoreWeight, data.labelWeight]} : {}),
      ...(c.classWeight ? {classWeight: {1: CLASS_WEIGHT}} : {}),
      metrics: {label: ['accuracy']},
      weightedMetrics: {label: ['accuracy']},
      optimizer: kerasOptimizer(c.optimizer()),
      epochs: 3,
      batchSize: 8,
    };
    net.dispose();
  }
  keras = await runKeras('functional-model', kerasCases);
});

describe.each(BACKENDS)('functional model on %s vs keras.Model', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`${backend}: ${worstErrors()}`));

  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: per-epoch losses and final weights`, async () => {
      const net = build();
      net.compile({
        optimizer: c.optimizer(),
        loss: [meanSquaredError(), sparseCategoricalCrossentropy()],
        lossWeights: c.lossWeights,
        metrics: {label: [accuracy()]},
        weightedMetrics: {label: [accuracy()]},
      });
      net.setWeights(
        tf.tidy(() =>
          Object.fromEntries(
            Object.entries(initial[name]!).flatMap(([layer, ws]) =>
              Object.entries(ws).map(([short, v]) => [`${layer}/${short}`, toTensor(v)]),
            ),
          ),
        ),
      );
      const tensors = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, toTensor(v)])) as Record<keyof typeof data, tf.Tensor>;
      try {
        const history = await net.fit([tensors.a, tensors.b], [tensors.score, tensors.label], {
          epochs: 3,
          batchSize: 8,
          shuffle: false,
          ...(c.sampleWeight ? {sampleWeight: [tensors.scoreWeight, tensors.labelWeight]} : {}),
          ...(c.classWeight ? {classWeight: {label: CLASS_WEIGHT}} : {}),
        });
        await expectClose(`${name} epoch losses`, history.history.loss!, field(keras[name], 'epochLosses') as number[], TOLERANCE);
        for (const output of ['score', 'label']) {
          const key = `${output}_loss`;
          await expectClose(`${name} ${key}`, history.history[key]!, field(keras[name], 'outputLosses', key) as number[], TOLERANCE);
        }
        // Keras: metrics={'label': ['accuracy']}, weighted_metrics={'label': ['accuracy']}.
        for (const key of ['label_accuracy', 'label_weighted_accuracy']) {
          await expectClose(`${name} ${key}`, history.history[key]!, field(keras[name], 'history', key) as number[], TOLERANCE);
        }
        const trained = net.getWeights();
        for (const [weight, value] of Object.entries(trained)) {
          const [layer, short] = weight.split('/') as [string, string];
          await expectClose(`${name} ${weight}`, value, field(keras[name], 'weights', layer, short), TOLERANCE);
        }
        tf.dispose(Object.values(trained));
      } finally {
        tf.dispose(Object.values(tensors));
        net.dispose();
      }
    });
  }
});
