// Keras' `fit` ends with `optimizer.finalize_variable_values(trainable_weights)`:
// with useEma the model ends holding the moving averages of its weights.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {Sequential, StatefulOptimizer} from '@trellis/core';
import {expectNoTensorLeaks, tinyDense, tinyMse} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {adam} from './adam';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 32;
const BATCH = 8;
const EPOCHS = 3;

function data() {
  return tf.tidy(() => {
    const x = tf.tensor2d(Array.from({length: N}, (_, i) => [Math.sin(i), Math.cos(0.5 * i)]));
    const y = tf.add(tf.matMul(x, tf.tensor2d([[2], [-1]])), 0.5);
    return {x, y};
  });
}

/**
 * By hand: the same batches through plain Adam on separate variables, and
 * the EMA of the weights (momentum m, the first step copies them) in float64.
 */
function handComputation(x: tf.Tensor, y: tf.Tensor, momentum: number) {
  const kernel = tf.variable(tf.fill([2, 1], 0.1));
  const bias = tf.variable(tf.zeros([1]));
  const vars = {k: kernel, b: bias};
  const opt = new StatefulOptimizer(adam({learningRate: 0.05}));
  let average: {k: number[]; b: number[]} | null = null;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let s = 0; s < N; s += BATCH) {
      const {grads} = tf.tidy(() => {
        const xb = tf.slice(x, [s, 0], [BATCH, 2]);
        const yb = tf.slice(y, [s, 0], [BATCH, 1]);
        return tf.variableGrads(() => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(xb, kernel), bias), yb))) as tf.Scalar, [kernel, bias]);
      });
      opt.applyGradients({k: grads[kernel.name]!, b: grads[bias.name]!}, vars);
      tf.dispose(Object.values(grads));
      const w = {k: Array.from(kernel.dataSync()), b: Array.from(bias.dataSync())};
      const m: number = average === null ? 0 : momentum;
      const prev: {k: number[]; b: number[]} = average ?? {k: [0, 0], b: [0]};
      average = {k: w.k.map((v, i) => m * prev.k[i]! + (1 - m) * v), b: w.b.map((v, i) => m * prev.b[i]! + (1 - m) * v)};
    }
  }
  const last = {k: Array.from(kernel.dataSync()), b: Array.from(bias.dataSync())};
  opt.dispose();
  tf.dispose([kernel, bias]);
  return {average: average!, last};
}

function expectWeights(model: Sequential, want: {k: number[]; b: number[]}) {
  const [kernel, bias] = model.trainableWeights.map((w) => Array.from(w.variable.dataSync()));
  kernel!.forEach((v, i) => expect(Math.abs(v - want.k[i]!)).toBeLessThan(1e-6));
  bias!.forEach((v, i) => expect(Math.abs(v - want.b[i]!)).toBeLessThan(1e-6));
}

describe('fit with useEma', () => {
  it('fit ends with the moving averages of the weights (adam, emaMomentum 0.9)', async () => {
    const {x, y} = data();
    const hand = handComputation(x, y, 0.9);
    const model = new Sequential([tinyDense(1, [2])]);
    model.compile({optimizer: adam({learningRate: 0.05, useEma: true, emaMomentum: 0.9}), loss: tinyMse});
    await model.fit(x, y, {epochs: EPOCHS, batchSize: BATCH, shuffle: false});
    expectWeights(model, hand.average);
    // The averages are not the last weights.
    expect(Math.abs(hand.average.k[0]! - hand.last.k[0]!)).toBeGreaterThan(1e-2);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('fitDataset ends with them too (default emaMomentum 0.99)', async () => {
    const {x, y} = data();
    const hand = handComputation(x, y, 0.99);
    const model = new Sequential([tinyDense(1, [2])]);
    model.compile({optimizer: adam({learningRate: 0.05, useEma: true}), loss: tinyMse});
    const batches = Array.from({length: N / BATCH}, (_, i) => ({
      x: tf.slice(x, [i * BATCH, 0], [BATCH, 2]),
      y: tf.slice(y, [i * BATCH, 0], [BATCH, 1]),
    }));
    await model.fitDataset(batches, {epochs: EPOCHS, keepBatches: true});
    expectWeights(model, hand.average);
    tf.dispose([x, y, ...batches.flatMap((b) => [b.x, b.y])]);
    model.dispose();
  });

  it('without useEma fit ends with the last weights; repeated fits leak nothing', async () => {
    const {x, y} = data();
    const hand = handComputation(x, y, 0.9);
    const model = new Sequential([tinyDense(1, [2])]);
    model.compile({optimizer: adam({learningRate: 0.05}), loss: tinyMse});
    await model.fit(x, y, {epochs: EPOCHS, batchSize: BATCH, shuffle: false});
    expectWeights(model, hand.last);
    model.compile({optimizer: adam({learningRate: 0.05, useEma: true}), loss: tinyMse});
    await expectNoTensorLeaks(() => model.fit(x, y, {epochs: 1, batchSize: BATCH, shuffle: false}));
    tf.dispose([x, y]);
    model.dispose();
  });
});
