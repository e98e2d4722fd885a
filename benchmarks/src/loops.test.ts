// The benchmark compares equal work only if every contender trains the same
// model on the same loss with the same optimizer. These tests check that on the
// cpu backend with tiny sizes; they time nothing.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import {Sequential, adam, dense, setSeed, sparseCategoricalCrossentropy} from 'trellis';
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {MODELS, type DenseSpec} from './configs';
import {createLoopModel, disposeLoopModel, loopLoss, loopStep, type LoopModel} from './loops';
import {BatchSampler, WindowClock, median} from './measure';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const INPUTS = 6;
const UNITS = [5, 4, 3] as const;
const WEIGHT_NAMES = ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias'];
// Large enough that one Adam step moves every weight visibly (≈ lr), so a
// missing or wrong update cannot hide under the tolerance.
const LR = 0.01;
// Trellis' Adam puts epsilon outside the bias correction (Keras), tf.train.adam
// inside it; with a tiny epsilon both are m̂ / sqrt(v̂) to float32 noise.
const EPSILON = 1e-10;

const disposeAfter: (tf.Tensor | tf.Tensor[] | LoopModel | {dispose(): void})[] = [];
afterEach(() => {
  for (const item of disposeAfter.splice(0)) {
    if (Array.isArray(item)) tf.dispose(item);
    else if ('variables' in item) disposeLoopModel(item);
    else item.dispose();
  }
});

function batch(): {x: tf.Tensor2D; y: tf.Tensor1D} {
  const x = tf.randomNormal([8, INPUTS], 0, 1, 'float32', 3) as tf.Tensor2D;
  const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 1, 0], 'int32');
  disposeAfter.push([x, y]);
  return {x, y};
}

function trellisModel(inputs: number, units: readonly number[]): Sequential {
  setSeed(7);
  const last = units.length - 1;
  const model = new Sequential(
    units.map((u, i) => dense({units: u, activation: i < last ? 'relu' : 'softmax', ...(i === 0 ? {inputShape: [inputs]} : {})})),
  );
  disposeAfter.push(model);
  return model;
}

/**
 * Gives the Trellis model random non-zero weights (its biases start at zero,
 * which would hide a bias mistake) and returns copies of them in
 * {@link WEIGHT_NAMES} order.
 */
function randomizeWeights(model: Sequential): tf.Tensor[] {
  const values = tf.tidy(() =>
    Object.fromEntries(model.weights.map((w, i) => [w.name, tf.randomUniform(w.variable.shape, -0.8, 0.8, 'float32', 30 + i)])),
  );
  disposeAfter.push(Object.values(values));
  model.setWeights(values);
  const weights = model.getWeights();
  disposeAfter.push(Object.values(weights));
  return WEIGHT_NAMES.map((name) => weights[name]!);
}

function firstLoss(loop: LoopModel, x: tf.Tensor, y: tf.Tensor): number {
  return tf.tidy(() => loopLoss(loop, x, y)).dataSync()[0]!;
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/** The loop model's values after one Adam step on the whole batch, and the step's loss. */
function loopAfterOneStep(initial: tf.Tensor[], x: tf.Tensor, y: tf.Tensor): {loss: number; weights: tf.Tensor[]} {
  const loop = createLoopModel(INPUTS, UNITS, {initial});
  disposeAfter.push(loop);
  const optimizer = tf.train.adam(LR, 0.9, 0.999, EPSILON);
  disposeAfter.push(optimizer);
  const loss = loopStep(loop, optimizer, x, y, null);
  const value = loss.dataSync()[0]!;
  loss.dispose();
  return {loss: value, weights: [...loop.variables]};
}

describe('the hand-written loop and Trellis fit', () => {
  it('compute the same first-step loss on the same weights', async () => {
    const {x, y} = batch();
    const model = trellisModel(INPUTS, UNITS);
    const initial = randomizeWeights(model);
    expect(initial.every((t) => t !== undefined)).toBe(true);

    const loop = createLoopModel(INPUTS, UNITS, {initial});
    disposeAfter.push(loop);
    const reference = firstLoss(loop, x, y);

    model.compile({optimizer: adam({learningRate: LR, epsilon: EPSILON}), loss: sparseCategoricalCrossentropy()});
    // One epoch of one batch, unshuffled: the logged loss is the first step's, before its update.
    const history = await model.fit(x, y, {epochs: 1, batchSize: 8, shuffle: false});
    const trellisLoss = history.last('loss')!;

    // Random logits of 3 classes: the loss sits near ln 3, far from 0 or the probability clip.
    expect(reference).toBeGreaterThan(0.3);
    expect(Math.abs(trellisLoss - reference) / reference).toBeLessThan(1e-5);
  });

  it('take the same Adam step', async () => {
    const {x, y} = batch();
    const model = trellisModel(INPUTS, UNITS);
    const initial = randomizeWeights(model);

    model.compile({optimizer: adam({learningRate: LR, epsilon: EPSILON}), loss: sparseCategoricalCrossentropy()});
    await model.fit(x, y, {epochs: 1, batchSize: 8, shuffle: false});
    const trained = model.getWeights();
    disposeAfter.push(Object.values(trained));

    const {weights: loopWeights} = loopAfterOneStep(initial, x, y);
    WEIGHT_NAMES.forEach((name, i) => {
      // The step moved the weight (by ≈ LR where the gradient is not 0)...
      expect(maxAbsDiff(trained[name]!, initial[i]!)).toBeGreaterThan(LR / 2);
      // ...and both moved it to the same place.
      expect(maxAbsDiff(trained[name]!, loopWeights[i]!)).toBeLessThan(1e-5);
    });
  });
});

describe('the hand-written loop and tfjs-layers fit', () => {
  it('compute the same first-step loss and take the same Adam step on the same weights', async () => {
    const {x, y} = batch();
    const last = UNITS.length - 1;
    const model = tfl.sequential();
    UNITS.forEach((units, i) => {
      model.add(tfl.layers.dense({units, activation: i < last ? 'relu' : 'softmax', ...(i === 0 ? {inputShape: [INPUTS]} : {})}));
    });
    disposeAfter.push(model);
    const initial = tf.tidy(() =>
      UNITS.flatMap((u, i) => {
        const fanIn = i === 0 ? INPUTS : UNITS[i - 1]!;
        return [tf.randomUniform([fanIn, u], -0.8, 0.8, 'float32', 10 + i), tf.randomUniform([u], -0.1, 0.1, 'float32', 20 + i)];
      }),
    );
    disposeAfter.push(initial);
    model.setWeights(initial);
    const optimizer = tf.train.adam(LR, 0.9, 0.999, EPSILON);
    disposeAfter.push(optimizer);
    model.compile({optimizer, loss: 'sparseCategoricalCrossentropy'});
    const labels = tf.cast(y, 'float32');
    disposeAfter.push(labels);

    const loop = createLoopModel(INPUTS, UNITS, {initial});
    disposeAfter.push(loop);
    const reference = firstLoss(loop, x, y);

    const history = await model.fit(x, labels, {epochs: 1, batchSize: 8, shuffle: false, verbose: 0});
    const layersLoss = Number(history.history.loss![0]);
    expect(reference).toBeGreaterThan(0.3);
    expect(Math.abs(layersLoss - reference) / reference).toBeLessThan(1e-5);

    const {loss, weights: loopWeights} = loopAfterOneStep(initial, x, y);
    expect(loss).toBeCloseTo(reference, 6);
    const trained = model.getWeights();
    trained.forEach((w, i) => {
      expect(maxAbsDiff(w, initial[i]!)).toBeGreaterThan(LR / 2);
      expect(maxAbsDiff(w, loopWeights[i]!)).toBeLessThan(1e-6);
    });
  });
});

describe('the benchmark models', () => {
  it('have the same weight shapes in Trellis and in the loop', () => {
    const dense = Object.values(MODELS).filter((spec): spec is DenseSpec => spec.kind === 'dense');
    expect(dense.map((spec) => spec.name)).toEqual(['mlp', 'tiny']);
    for (const spec of dense) {
      const model = trellisModel(spec.inputs, spec.units);
      const loop = createLoopModel(spec.inputs, spec.units);
      disposeAfter.push(loop);
      expect(loop.variables.map((v) => v.shape)).toEqual(model.weights.map((w) => w.variable.shape));
    }
  });

  it('the loop step keeps no tensor but its loss once the optimizer slots exist', () => {
    const {x, y} = batch();
    const loop = createLoopModel(INPUTS, UNITS, {seed: 5});
    disposeAfter.push(loop);
    const optimizer = tf.train.adam(LR);
    disposeAfter.push(optimizer);
    const sampler = new BatchSampler(8, 4, 1);
    loopStep(loop, optimizer, x, y, sampler.next()).dispose();
    const before = tf.memory().numTensors;
    const loss = loopStep(loop, optimizer, x, y, sampler.next());
    expect(tf.memory().numTensors).toBe(before + 1);
    loss.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects initial values of the wrong shape', () => {
    const wrong = [tf.zeros([INPUTS, 2]), tf.zeros([2])];
    disposeAfter.push(wrong);
    expect(() => createLoopModel(INPUTS, [5], {initial: wrong})).toThrow(/expects \[6, 5\]/);
  });
});

describe('measurement helpers', () => {
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('windows close at the first boundary past their length', () => {
    const clock = new WindowClock(2, 100);
    clock.start(0);
    expect(clock.boundary(5, 60)).toBe(false);
    expect(clock.boundary(5, 120)).toBe(false);
    expect(clock.boundary(10, 230)).toBe(true);
    expect(clock.windows).toEqual([
      {ms: 120, steps: 10, msPerStep: 12},
      {ms: 110, steps: 10, msPerStep: 11},
    ]);
  });

  it('the sampler visits every row once per epoch', () => {
    const sampler = new BatchSampler(10, 4, 2);
    for (let epoch = 0; epoch < 2; epoch++) {
      const seen = [...sampler.next(), ...sampler.next(), ...sampler.next()].sort((a, b) => a - b);
      expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
  });
});
