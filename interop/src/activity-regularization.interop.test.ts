// Activity regularizers (and kernel regularizers) in training against Keras'
// model.fit (`fit` kind): from identical weights, SGD without shuffling; the
// loss of every epoch, the running loss after every batch, the final weights
// and model.evaluate's loss afterwards, on cpu and wasm. Keras divides an
// activity penalty by the batch size, adds it and the weight penalties to the
// loss it differentiates and reports, in fit and evaluate alike.
import * as tf from '@tensorflow/tfjs-core';
import {
  Sequential,
  categoricalCrossentropy,
  conv2d,
  dense,
  embedding,
  flatten,
  meanSquaredError,
  setSeed,
  sgd,
  withSpec,
  type Callback,
  type Loss,
  type NamedTensors,
  type Optimizer,
  type Regularizer,
} from 'trellis';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {BACKENDS, activate, classIds, oneHot, toTensor, uniformTensor} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {kerasLayer, kerasLoss, kerasOptimizer} from './harness/keras-config';
import {runKeras, type KerasCase} from './harness/keras';
import {namedWeights, weightsPerLayer} from './harness/mnist-mlp';
import type {HostTensor, TreeOut} from './harness/tensor-tree';

const TOLERANCE = 1e-4;

/** `rate · sum(x²)` (Keras `L2`), mapped to Keras in `harness/keras-config.ts`. */
function l2(rate: number): Regularizer {
  return withSpec({id: 'test/l2', config: {l2: rate}}, (x: tf.Tensor) => tf.mul(rate, tf.sum(tf.square(x))) as tf.Scalar);
}

/** `rate · sum(|x|)` (Keras `L1`). */
function l1(rate: number): Regularizer {
  return withSpec({id: 'test/l1', config: {l1: rate}}, (x: tf.Tensor) => tf.mul(rate, tf.sum(tf.abs(x))) as tf.Scalar);
}

type FitCase = {
  readonly model: () => Sequential;
  readonly inputShape: number[];
  readonly x: HostTensor;
  readonly y: HostTensor;
  readonly loss: () => Loss;
  readonly optimizer: () => Optimizer;
  readonly epochs: number;
  /** Chosen so that the last batch of each epoch is smaller: the division by the batch size shows. */
  readonly batchSize: number;
};

const cases: Record<string, FitCase> = {
  // Large rates, so the penalties are a sizeable part of the loss and the gradients.
  'dense activity L2 and kernel L2 → dense softmax': {
    model: () =>
      new Sequential([
        dense({units: 6, activation: 'tanh', activityRegularizer: l2(0.05), kernelRegularizer: l2(0.01), inputShape: [5]}),
        dense({units: 3, activation: 'softmax'}),
      ]),
    inputShape: [5],
    x: uniformTensor([30, 5], 700, -2, 2),
    y: oneHot(classIds([30], 3, 701), 3),
    loss: () => categoricalCrossentropy(),
    optimizer: () => sgd({learningRate: 0.1}),
    epochs: 3,
    batchSize: 8,
  },
  'conv2d activity L1 → flatten → dense, SGD with momentum': {
    model: () =>
      new Sequential([
        conv2d({filters: 3, kernelSize: 3, activation: 'relu', activityRegularizer: l1(0.01), inputShape: [6, 6, 2]}),
        flatten(),
        dense({units: 2, activityRegularizer: l2(0.1)}),
      ]),
    inputShape: [6, 6, 2],
    x: uniformTensor([20, 6, 6, 2], 710, -1, 1),
    y: uniformTensor([20, 2], 711, -1, 1),
    loss: () => meanSquaredError(),
    optimizer: () => sgd({learningRate: 0.05, momentum: 0.9}),
    epochs: 3,
    batchSize: 6,
  },
  'embedding activity L2 → flatten → dense': {
    model: () =>
      new Sequential([
        embedding({inputDim: 10, outputDim: 4, activityRegularizer: l2(0.2), inputShape: [3]}),
        flatten(),
        dense({units: 1}),
      ]),
    inputShape: [3],
    x: classIds([25, 3], 10, 720),
    y: uniformTensor([25, 1], 721, -1, 1),
    loss: () => meanSquaredError(),
    optimizer: () => sgd({learningRate: 0.1}),
    epochs: 3,
    batchSize: 7,
  },
};

let initial: Record<string, Record<string, HostTensor>[]>;
let keras: Record<string, TreeOut>;
beforeAll(async () => {
  await activate('cpu');
  initial = {};
  const kerasCases: Record<string, KerasCase> = {};
  Object.entries(cases).forEach(([name, c], i) => {
    setSeed(40 + i);
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
      epochs: c.epochs,
      batchSize: c.batchSize,
      evaluate: true,
    };
    model.dispose();
  });
  keras = await runKeras('activity-regularization', kerasCases);
});

describe.each(BACKENDS)('activity regularization in fit on %s vs Keras', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`${backend}: ${worstErrors()}`));

  it.each(Object.keys(cases))(`%s: losses, weights and evaluate within ${TOLERANCE}`, async (name) => {
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
    try {
      const history = await model.fit(xs, ys, {epochs: c.epochs, batchSize: c.batchSize, shuffle: false, callbacks: [recorder]});
      expectClose(`${name} epoch losses`, history.history.loss!, field(k, 'epochLosses') as number[], TOLERANCE);
      expectClose(`${name} running losses`, running, field(k, 'runningLosses') as number[], TOLERANCE);
      weightsPerLayer(model).forEach((layer, i) => {
        for (const [weight, values] of Object.entries(layer)) {
          expectClose(`${name} layer ${i} ${weight}`, values, field(k, 'weights', i, weight), TOLERANCE);
        }
      });
      const logs = await model.evaluate(xs, ys, {batchSize: c.batchSize});
      expectClose(`${name} evaluate loss`, logs.loss!, field(k, 'evaluateLoss') as number, TOLERANCE);
    } finally {
      tf.dispose([xs, ys]);
      model.dispose();
    }
  });
});
