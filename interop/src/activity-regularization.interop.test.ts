// Activity regularizers (and kernel regularizers) in training against Keras'
// model.fit (`fit` kind): from identical weights, SGD without shuffling; the
// loss of every epoch, the running loss after every batch, the final weights
// and model.evaluate's loss afterwards, on cpu and wasm. Keras divides an
// activity penalty by the batch size, adds it and the weight penalties to the
// loss it differentiates and reports, in fit and evaluate alike.
import * as tf from '@tensorflow/tfjs-core';
import {Sequential, conv2d, dense, flatten, layers, meanSquaredError, sgd, type Regularizer} from 'trellis';
import {withSpec} from '@trellis/core';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {BACKENDS, activate, classIds, uniformTensor} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {beforeAllKerasFits, expectSameFit, type FitCase} from './harness/fit-cases';
import {threeClassFitOnFiveFeatures} from './harness/fit-problems';

const TOLERANCE = 1e-4;

/** `rate · sum(x²)` (Keras `L2`), mapped to Keras in `harness/keras-config.ts`. */
function l2(rate: number): Regularizer {
  return withSpec({id: 'test/l2', config: {l2: rate}}, (x: tf.Tensor) => tf.mul(rate, tf.sum(tf.square(x))) as tf.Scalar);
}

/** `rate · sum(|x|)` (Keras `L1`). */
function l1(rate: number): Regularizer {
  return withSpec({id: 'test/l1', config: {l1: rate}}, (x: tf.Tensor) => tf.mul(rate, tf.sum(tf.abs(x))) as tf.Scalar);
}

// Batch sizes leave a smaller last batch in each epoch: the division by the batch size shows.
const cases: Record<string, FitCase> = {
  // Large rates, so the penalties are a sizeable part of the loss and the gradients.
  'dense activity L2 and kernel L2 → dense softmax': {
    model: () =>
      new Sequential([
        dense({units: 6, activation: 'tanh', activityRegularizer: l2(0.05), kernelRegularizer: l2(0.01), inputShape: [5]}),
        dense({units: 3, activation: 'softmax'}),
      ]),
    ...threeClassFitOnFiveFeatures(700),
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
        layers.embedding({inputDim: 10, outputDim: 4, activityRegularizer: l2(0.2), inputShape: [3]}),
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

const {initial, keras} = beforeAllKerasFits('activity-regularization', cases, 40, () => ({evaluate: true}));

describe.each(BACKENDS)('activity regularizers in fit on %s vs Keras', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`${backend}: ${worstErrors()}`));

  it.each(Object.keys(cases))(`%s: losses, weights and evaluate within ${TOLERANCE}`, async (name) => {
    await expectSameFit(name, cases[name]!, initial[name]!, keras[name], TOLERANCE, {}, async (model, x, y) => {
      const logs = await model.evaluate(x, y, {batchSize: cases[name]!.batchSize});
      await expectClose(`${name} evaluate loss`, logs.loss!, field(keras[name], 'evaluateLoss') as number, TOLERANCE);
    });
  });
});
