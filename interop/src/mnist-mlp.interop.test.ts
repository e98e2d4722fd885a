// The main job's MLP trained 3 epochs on 1,000 real MNIST images with
// SGD+momentum and with Adam, by Trellis and by Keras' model.fit, from
// identical initial weights and without shuffling: losses (per epoch and after
// every batch) and final weights must agree within 1e-4. A deliberately wrong
// Adam (epsilon inside the square root) must be caught.
import * as tf from '@tensorflow/tfjs-core';
import {adam, loadMnist, setSeed, sgd, sparseCategoricalCrossentropy, type GradientTransform, type NamedTensors} from 'trellis';
import {chain, scaleByLearningRate} from '@trellis/optimizers';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {BACKENDS, activate, toTensor} from './harness/cases';
import {expectClose, field, worstErrors} from './harness/compare';
import {runningLossRecorder} from './harness/fit-cases';
import {kerasLayer, kerasLoss, kerasOptimizer} from './harness/keras-config';
import {runKeras, type KerasCase} from './harness/keras';
import {mnistMlp, setWeightsPerLayer, weightsPerLayer} from './harness/mnist-mlp';
import {toHost, type HostTensor, type TreeOut} from './harness/tensor-tree';

const TOLERANCE = 1e-4;
const SAMPLES = 1000;
const EPOCHS = 3;
const BATCH_SIZE = 128; // 7 full batches and one of 104: Keras weights the epoch mean by batch size

const optimizers = {
  sgdMomentum: () => sgd({learningRate: 0.05, momentum: 0.9}),
  sgdNesterov: () => sgd({learningRate: 0.05, momentum: 0.9, nesterov: true}),
  adam: () => adam({learningRate: 1e-3}),
};
type OptimizerName = keyof typeof optimizers;

let x: HostTensor;
let y: HostTensor;
let initial: Record<string, HostTensor>[];
let keras: Record<string, TreeOut>;

beforeAll(async () => {
  await activate('cpu');
  const {train} = await loadMnist({split: 'train', samples: SAMPLES});
  x = await toHost(train.x);
  y = await toHost(train.y);
  tf.dispose([train.x, train.y]);
  setSeed(7);
  const model = mnistMlp();
  model.build([784]);
  initial = await weightsPerLayer(model);
  const cases: Record<string, KerasCase> = {};
  for (const [name, create] of Object.entries(optimizers)) {
    cases[name] = {
      kind: 'fit',
      inputShape: [784],
      layers: model.layers.map(kerasLayer),
      weights: initial,
      x,
      y,
      loss: kerasLoss(sparseCategoricalCrossentropy()),
      optimizer: kerasOptimizer(create()),
      epochs: EPOCHS,
      batchSize: BATCH_SIZE,
    };
  }
  model.dispose();
  keras = await runKeras('mnist-mlp', cases);
});

/** Trains the MLP in Trellis from the shared initial weights; returns what Keras reports too. */
async function trainTrellis(optimizer: GradientTransform) {
  const model = mnistMlp();
  model.compile({optimizer, loss: sparseCategoricalCrossentropy()});
  setWeightsPerLayer(model, initial);
  const {losses: runningLosses, recorder} = runningLossRecorder();
  const [xs, ys] = [toTensor(x), toTensor(y)];
  try {
    const history = await model.fit(xs, ys, {epochs: EPOCHS, batchSize: BATCH_SIZE, shuffle: false, callbacks: [recorder]});
    return {epochLosses: history.history.loss!, runningLosses, weights: await weightsPerLayer(model)};
  } finally {
    tf.dispose([xs, ys]);
    model.dispose();
  }
}

async function expectSameTraining(
  name: string,
  ours: Awaited<ReturnType<typeof trainTrellis>>,
  theirs: TreeOut | undefined,
): Promise<void> {
  for (const [epoch, loss] of (field(theirs, 'epochLosses') as number[]).entries()) {
    await expectClose(`${name} loss of epoch ${epoch + 1}`, ours.epochLosses[epoch]!, loss, TOLERANCE);
  }
  await expectClose(`${name} running loss after each batch`, ours.runningLosses, field(theirs, 'runningLosses') as number[], TOLERANCE);
  for (const [i, layer] of ours.weights.entries()) {
    for (const [weight, values] of Object.entries(layer)) {
      await expectClose(`${name} final layer ${i} ${weight}`, values, field(theirs, 'weights', i, weight), TOLERANCE);
    }
  }
}

describe.each(BACKENDS)('MNIST MLP, 3 epochs on %s vs Keras model.fit', (backend) => {
  beforeAll(() => activate(backend));
  afterAll(() => console.log(`${backend}: ${worstErrors()}`));

  it.each(Object.keys(optimizers) as OptimizerName[])(`%s: losses and final weights within ${TOLERANCE}`, async (name) => {
    const ours = await trainTrellis(optimizers[name]());
    await expectSameTraining(name, ours, keras[name]);
  });
});

/**
 * Adam with epsilon inside the square root, `m̂ / sqrt(v̂ + ε)`: a plausible
 * mistake the suite must catch.
 */
function adamWithEpsilonInsideSqrt(learningRate: number): GradientTransform {
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-7];
  type State = {count: number; m: NamedTensors; v: NamedTensors};
  const wrong: GradientTransform<State> = {
    init: (params) => ({
      count: 0,
      m: tf.tidy(() => Object.fromEntries(Object.entries(params).map(([k, p]) => [k, tf.zerosLike(p)]))),
      v: tf.tidy(() => Object.fromEntries(Object.entries(params).map(([k, p]) => [k, tf.zerosLike(p)]))),
    }),
    update: (grads, state) =>
      tf.tidy(() => {
        const t = state.count + 1;
        const m: Record<string, tf.Tensor> = {};
        const v: Record<string, tf.Tensor> = {};
        const updates: Record<string, tf.Tensor> = {};
        for (const [k, g] of Object.entries(grads)) {
          m[k] = tf.add(tf.mul(state.m[k]!, beta1), tf.mul(g, 1 - beta1));
          v[k] = tf.add(tf.mul(state.v[k]!, beta2), tf.mul(tf.square(g), 1 - beta2));
          const mHat = tf.div(m[k]!, 1 - beta1 ** t);
          const vHat = tf.div(v[k]!, 1 - beta2 ** t);
          updates[k] = tf.div(mHat, tf.sqrt(tf.add(vHat, epsilon)));
        }
        return {updates: updates as NamedTensors, state: {count: t, m: m as NamedTensors, v: v as NamedTensors}};
      }),
  };
  return chain(wrong as GradientTransform, scaleByLearningRate(learningRate));
}

describe('the comparison catches a wrong optimizer', () => {
  beforeAll(() => activate('wasm'));

  it('Adam with epsilon inside the square root fails against Keras', async () => {
    const ours = await trainTrellis(adamWithEpsilonInsideSqrt(1e-3));
    await expect(expectSameTraining('adam (epsilon inside sqrt)', ours, keras.adam)).rejects.toThrow(/error .* > tolerance/);
    console.log(`the wrong Adam is off by ${worstErrors()}`);
  });
});
