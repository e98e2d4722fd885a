// After a range test the model is as before, bit for bit; bad input throws typed errors; nothing leaks.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, Sequential, StateError, setSeed, tensorsIn, type LossFn} from '@trellis/core';
import {batchNormalization, dense, dropout, meanSquaredError} from '@trellis/layers';
import {adam} from '@trellis/optimizers';
import {catchErrorAsync, expectNoTensorLeaks} from '@trellis/testing';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {lrFinder} from './lr-finder';

let x: tf.Tensor2D;
let y: tf.Tensor2D;

beforeAll(async () => {
  await tf.setBackend('cpu');
  x = tf.tensor2d(Array.from({length: 48}, (_, i) => [Math.sin(i), Math.cos(1.7 * i), (i % 5) / 5]));
  y = tf.tidy(() => tf.tanh(tf.matMul(x, tf.tensor2d([[1], [-2], [0.5]])))) as tf.Tensor2D;
});

afterAll(() => tf.dispose([x, y]));

/** An MLP with moving statistics (batch normalization) and dropout, under Adam. */
function mlp(options: {dropout?: boolean; loss?: LossFn; inputShape?: boolean} = {}) {
  setSeed(7);
  const model = new Sequential([
    dense({units: 8, activation: 'relu', ...(options.inputShape === false ? {} : {inputShape: [3]})}),
    batchNormalization(),
    ...(options.dropout === false ? [] : [dropout({rate: 0.2})]),
    dense({units: 1}),
  ]);
  model.compile({optimizer: adam({learningRate: 1e-2}), loss: options.loss ?? meanSquaredError()});
  return model;
}

/** Every weight's and every optimizer state tensor's bytes, with the optimizer's counters. */
function fingerprint(model: Sequential) {
  const weights = model.getWeights();
  const state = model.optimizer.getState();
  const bytes = (t: tf.Tensor) => Array.from(new Uint8Array(t.dataSync().slice().buffer));
  const print = {
    weights: Object.fromEntries(Object.entries(weights).map(([name, t]) => [name, bytes(t)])),
    state: tensorsIn(state.state).map(bytes),
    step: state.step,
    learningRateScale: state.learningRateScale,
    learningRate: model.optimizer.learningRate,
  };
  tf.dispose([...Object.values(weights), ...tensorsIn(state.state)]);
  return print;
}

describe('lrFinder restores the model', () => {
  it('weights (moving statistics too), optimizer slots, step and learning rate are bit-identical afterwards', async () => {
    const model = mlp();
    await model.fit(x, y, {epochs: 2, batchSize: 16, verbose: 0});
    model.optimizer.setLearningRate(3e-3);
    const before = fingerprint(model);
    expect(before.state.length).toBeGreaterThan(0);
    expect(before.step).toBe(6);
    expect(before.learningRateScale).toBeCloseTo(0.3, 12);
    const tensors = tf.memory().numTensors;
    const result = await lrFinder(model, x, y, {minLr: 1e-5, maxLr: 1e3, numSteps: 60, batchSize: 8});
    expect(tf.memory().numTensors).toBe(tensors);
    // It did train (the weights moved and the loss exploded) before putting everything back.
    expect(result.stopReason).not.toBe('completed');
    expect(result.losses.at(-1)).toBeGreaterThan(result.losses[0]!);
    expect(fingerprint(model)).toEqual(before);
    model.dispose();
  });

  it('a fit after the range test trains exactly as one without it', async () => {
    const plain = mlp({dropout: false});
    const tested = mlp({dropout: false});
    await lrFinder(tested, x, y, {minLr: 1e-4, maxLr: 10, numSteps: 30, batchSize: 8});
    await plain.fit(x, y, {epochs: 2, batchSize: 16, shuffle: false, verbose: 0});
    await tested.fit(x, y, {epochs: 2, batchSize: 16, shuffle: false, verbose: 0});
    expect(fingerprint(tested)).toEqual(fingerprint(plain));
    plain.dispose();
    tested.dispose();
  });

  it('two range tests on the same model record the same curve', async () => {
    const model = mlp({dropout: false, inputShape: false});
    const options = {minLr: 1e-4, maxLr: 1, numSteps: 20, batchSize: 12, shuffle: false} as const;
    expect(model.built).toBe(false);
    const first = await lrFinder(model, x, y, options);
    // A model without an input shape is built from x, as fit builds it, and then kept at its initial weights.
    expect(model.built).toBe(true);
    expect(model.optimizer.step).toBe(0);
    const second = await lrFinder(model, x, y, options);
    expect(second).toEqual(first);
    model.dispose();
  });

  it('restores the model when the fit throws mid-way, and rethrows', async () => {
    let calls = 0;
    const failing: LossFn = (yTrue, yPred) => {
      calls += 1;
      if (calls === 4) throw new Error('loss failed on purpose');
      return tf.mean(tf.square(tf.sub(yTrue, yPred)), -1);
    };
    const model = mlp({loss: failing});
    await model.fit(x, y, {epochs: 1, batchSize: 16, verbose: 0});
    calls = 0;
    const before = fingerprint(model);
    const tensors = tf.memory().numTensors;
    const error = await catchErrorAsync(() => lrFinder(model, x, y, {numSteps: 10, batchSize: 8}));
    expect(error.message).toBe('loss failed on purpose');
    expect(calls).toBe(4);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(fingerprint(model)).toEqual(before);
    model.dispose();
  });

  it('leaks no tensors over repeated runs', async () => {
    const model = mlp();
    await expectNoTensorLeaks(() => lrFinder(model, x, y, {minLr: 1e-4, maxLr: 1e2, numSteps: 15, batchSize: 16}));
    model.dispose();
  });
});

describe('lrFinder refuses bad input', () => {
  it('an uncompiled model is a StateError', async () => {
    const model = new Sequential([dense({units: 1, inputShape: [3]})]);
    const error = await catchErrorAsync(() => lrFinder(model, x, y));
    expect(StateError.is(error)).toBe(true);
    expect(error.message).toMatch(/is not compiled; call model\.compile\(\{optimizer, loss\}\)/);
    model.dispose();
  });

  it('a disposed model is a StateError', async () => {
    const model = mlp();
    model.dispose();
    const error = await catchErrorAsync(() => lrFinder(model, x, y));
    expect(StateError.is(error)).toBe(true);
    expect(error.message).toMatch(/was disposed/);
  });

  it('empty data is a DataError, and the model is untouched', async () => {
    const model = mlp();
    const [xEmpty, yEmpty] = [tf.zeros([0, 3]), tf.zeros([0, 1])];
    const before = fingerprint(model);
    const tensors = tf.memory().numTensors;
    const error = await catchErrorAsync(() => lrFinder(model, xEmpty, yEmpty));
    expect(DataError.is(error)).toBe(true);
    expect(error.message).toMatch(/empty \(0 samples\)/);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(fingerprint(model)).toEqual(before);
    tf.dispose([xEmpty, yEmpty]);
    model.dispose();
  });

  it('an optimizer without a learning rate is a ConfigError', async () => {
    const model = new Sequential([dense({units: 1, inputShape: [3]})]);
    model.compile({optimizer: {init: () => ({}), update: (grads, state) => ({updates: grads, state})}, loss: meanSquaredError()});
    const error = await catchErrorAsync(() => lrFinder(model, x, y));
    expect(ConfigError.is(error)).toBe(true);
    expect(error.message).toMatch(/has no learning rate to vary/);
    model.dispose();
  });

  it('bad options are a ConfigError before anything runs', async () => {
    const model = mlp();
    for (const options of [{minLr: 0}, {minLr: 1, maxLr: 0.5}, {numSteps: 1}]) {
      const error = await catchErrorAsync(() => lrFinder(model, x, y, options));
      expect(ConfigError.is(error)).toBe(true);
    }
    expect(model.history).toBeNull();
    model.dispose();
  });

  it('something other than a model is a ConfigError', async () => {
    const error = await catchErrorAsync(() => lrFinder({} as never, x, y));
    expect(ConfigError.is(error)).toBe(true);
    expect(error.message).toMatch(/expects a Trellis model/);
  });
});
