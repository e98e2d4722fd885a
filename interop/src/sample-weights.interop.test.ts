// `sampleWeight` and `classWeight` in fit against Keras' model.fit(...,
// sample_weight=..., class_weight=...) (`fit` kind): from identical weights,
// without shuffling; the loss of every epoch, the running loss after every
// batch and the final weights, on cpu and wasm. Keras weights each per-sample
// loss and divides the sum by the batch size (`sum_over_batch_size`), and
// turns class weights into per-sample weights from the targets.
import * as tf from '@tensorflow/tfjs-core';
import {
  Sequential,
  adam,
  binaryCrossentropy,
  categoricalCrossentropy,
  dense,
  meanSquaredError,
  sparseCategoricalCrossentropy,
  setSeed,
  sgd,
  type Callback,
  type ClassWeight,
  type Loss,
  type NamedTensors,
  type Optimizer,
} from 'trellis';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {BACKENDS, activate, bits, classIds, oneHot, toTensor, uniformTensor} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {kerasLayer, kerasLoss, kerasOptimizer} from './harness/keras-config';
import {runKeras, type KerasCase} from './harness/keras';
import {namedWeights, weightsPerLayer} from './harness/mnist-mlp';
import type {HostTensor, TreeOut} from './harness/tensor-tree';

const TOLERANCE = 1e-4;

type WeightedCase = {
  readonly model: () => Sequential;
  readonly inputShape: number[];
  readonly x: HostTensor;
  readonly y: HostTensor;
  readonly loss: () => Loss;
  readonly optimizer: () => Optimizer;
  /** Chosen so that the last batch of each epoch is smaller: the division by the batch size shows. */
  readonly batchSize: number;
  readonly sampleWeight?: HostTensor;
  readonly classWeight?: ClassWeight;
};

const EPOCHS = 3;

/** Weights in [0, 3) with every fifth one 0 (a sample that does not count). */
function someZeroWeights(n: number, seed: number): HostTensor {
  const w = uniformTensor([n], seed, 0, 3);
  const values = Float32Array.from(w.values as Float32Array, (v, i) => (i % 5 === 0 ? 0 : v));
  return {...w, values};
}

const cases: Record<string, WeightedCase> = {
  'sampleWeight: dense tanh → dense softmax, one-hot crossentropy, SGD': {
    model: () => new Sequential([dense({units: 6, activation: 'tanh', inputShape: [5]}), dense({units: 3, activation: 'softmax'})]),
    inputShape: [5],
    x: uniformTensor([30, 5], 800, -2, 2),
    y: oneHot(classIds([30], 3, 801), 3),
    loss: () => categoricalCrossentropy(),
    optimizer: () => sgd({learningRate: 0.1}),
    batchSize: 8,
    sampleWeight: someZeroWeights(30, 802),
  },
  'sampleWeight: dense relu → dense, mean squared error, Adam': {
    model: () => new Sequential([dense({units: 4, activation: 'relu', inputShape: [3]}), dense({units: 2})]),
    inputShape: [3],
    x: uniformTensor([25, 3], 810, -1, 1),
    y: uniformTensor([25, 2], 811, -1, 1),
    loss: () => meanSquaredError(),
    optimizer: () => adam({learningRate: 0.01}),
    batchSize: 7,
    sampleWeight: uniformTensor([25], 812, 0, 2),
  },
  'classWeight: dense relu → dense softmax, sparse crossentropy, SGD with momentum': {
    model: () => new Sequential([dense({units: 8, activation: 'relu', inputShape: [4]}), dense({units: 4, activation: 'softmax'})]),
    inputShape: [4],
    x: uniformTensor([28, 4], 820, -2, 2),
    y: classIds([28], 4, 821),
    loss: () => sparseCategoricalCrossentropy(),
    optimizer: () => sgd({learningRate: 0.05, momentum: 0.9}),
    batchSize: 8,
    classWeight: {0: 0.5, 2: 3, 3: 0},
  },
  'classWeight: one-hot targets, categorical crossentropy from logits': {
    model: () => new Sequential([dense({units: 5, activation: 'tanh', inputShape: [3]}), dense({units: 3})]),
    inputShape: [3],
    x: uniformTensor([22, 3], 830, -2, 2),
    y: oneHot(classIds([22], 3, 831), 3),
    loss: () => categoricalCrossentropy({fromLogits: true}),
    optimizer: () => sgd({learningRate: 0.1}),
    batchSize: 6,
    classWeight: {1: 2.5},
  },
  'classWeight: binary crossentropy, targets 0 or 1 of shape [samples, 1]': {
    model: () => new Sequential([dense({units: 4, activation: 'relu', inputShape: [3]}), dense({units: 1, activation: 'sigmoid'})]),
    inputShape: [3],
    x: uniformTensor([24, 3], 840, -2, 2),
    y: bits([24, 1], 841),
    loss: () => binaryCrossentropy(),
    optimizer: () => adam({learningRate: 0.02}),
    batchSize: 10,
    classWeight: {0: 0.25, 1: 4},
  },
};

let initial: Record<string, Record<string, HostTensor>[]>;
let keras: Record<string, TreeOut>;
beforeAll(async () => {
  await activate('cpu');
  initial = {};
  const kerasCases: Record<string, KerasCase> = {};
  Object.entries(cases).forEach(([name, c], i) => {
    setSeed(60 + i);
    const model = c.model();
    model.build(c.inputShape);
    initial[name] = weightsPerLayer(model);
    kerasCases[name] = {
      kind: 'fit',
      inputShape: c.inputShape,
      layers: model.layers.map(kerasLayer),
      weights: initial[name],
      x: c.x,
      y: c.y,
      loss: kerasLoss(c.loss()),
      optimizer: kerasOptimizer(c.optimizer()),
      epochs: EPOCHS,
      batchSize: c.batchSize,
      ...(c.sampleWeight ? {sampleWeight: c.sampleWeight} : {}),
      ...(c.classWeight ? {classWeight: {...c.classWeight}} : {}),
    };
    model.dispose();
  });
  keras = await runKeras('sample-weights', kerasCases);
});

describe.each(BACKENDS)('sampleWeight and classWeight in fit on %s vs Keras', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`${backend}: ${worstErrors()}`));

  it.each(Object.keys(cases))(`%s: losses and weights within ${TOLERANCE}`, async (name) => {
    const c = cases[name]!;
    const k = keras[name];
    const model = c.model();
    model.compile({optimizer: c.optimizer(), loss: c.loss()});
    model.setWeights(
      tf.tidy(() => Object.fromEntries(Object.entries(namedWeights(model, initial[name]!)).map(([w, v]) => [w, toTensor(v)]))) as NamedTensors,
    );
    const running: number[] = [];
    const recorder: Callback = {
      name: 'runningLoss',
      async onBatchEnd(context) {
        running.push((await context.readLogs(['loss'])).loss!);
      },
    };
    const [xs, ys] = [toTensor(c.x), toTensor(c.y)];
    const sampleWeight = c.sampleWeight ? toTensor(c.sampleWeight) : undefined;
    try {
      const history = await model.fit(xs, ys, {
        epochs: EPOCHS,
        batchSize: c.batchSize,
        shuffle: false,
        callbacks: [recorder],
        sampleWeight,
        classWeight: c.classWeight,
      });
      expectClose(`${name} epoch losses`, history.history.loss!, field(k, 'epochLosses') as number[], TOLERANCE);
      expectClose(`${name} running losses`, running, field(k, 'runningLosses') as number[], TOLERANCE);
      weightsPerLayer(model).forEach((layer, i) => {
        for (const [weight, values] of Object.entries(layer)) {
          expectClose(`${name} layer ${i} ${weight}`, values, field(k, 'weights', i, weight), TOLERANCE);
        }
      });
    } finally {
      tf.dispose([xs, ys, ...(sampleWeight ? [sampleWeight] : [])]);
      model.dispose();
    }
  });
});
