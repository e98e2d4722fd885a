// `sampleWeight` and `classWeight` in fit against Keras' model.fit(...,
// sample_weight=..., class_weight=...) (`fit` kind): from identical weights,
// without shuffling; the loss of every epoch, the running loss after every
// batch and the final weights, on cpu and wasm. Keras weights each per-sample
// loss and divides the sum by the batch size (`sum_over_batch_size`), and
// turns class weights into per-sample weights from the targets.
import {
  Sequential,
  adam,
  binaryCrossentropy,
  categoricalCrossentropy,
  dense,
  meanSquaredError,
  sgd,
  sparseCategoricalCrossentropy,
  type ClassWeight,
} from 'trellis';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {BACKENDS, activate, bits, classIds, oneHot, toTensor, uniformTensor} from './harness/cases';
import {worstErrors} from './harness/compare';
import {beforeAllKerasFits, expectSameFit, type FitCase} from './harness/fit-cases';
import {threeClassFitOnFiveFeatures} from './harness/fit-problems';
import type {HostTensor} from './harness/tensor-tree';

const TOLERANCE = 1e-4;

/** A training case with weights; batch sizes leave a smaller last batch, so the division by the batch size shows. */
type WeightedCase = FitCase & {
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
    ...threeClassFitOnFiveFeatures(800),
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
    epochs: EPOCHS,
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
    epochs: EPOCHS,
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
    epochs: EPOCHS,
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
    epochs: EPOCHS,
    classWeight: {0: 0.25, 1: 4},
  },
};

const {initial, keras} = beforeAllKerasFits('sample-weights', cases, 60, (c) => ({
  ...(c.sampleWeight ? {sampleWeight: c.sampleWeight} : {}),
  ...(c.classWeight ? {classWeight: {...c.classWeight}} : {}),
}));

describe.each(BACKENDS)('sampleWeight and classWeight in fit on %s vs Keras', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`${backend}: ${worstErrors()}`));

  it.each(Object.keys(cases))(`%s: losses and weights within ${TOLERANCE}`, async (name) => {
    const c = cases[name]!;
    const sampleWeight = c.sampleWeight ? toTensor(c.sampleWeight) : undefined;
    try {
      await expectSameFit(name, c, initial[name]!, keras[name], TOLERANCE, {
        ...(sampleWeight ? {sampleWeight} : {}),
        ...(c.classWeight ? {classWeight: c.classWeight} : {}),
      });
    } finally {
      sampleWeight?.dispose();
    }
  });
});
