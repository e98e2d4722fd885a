// The regularization penalty is part of `loss` (as Keras reports it) and is
// also logged on its own as `regularization_loss`.
import * as tf from '@tensorflow/tfjs-core';
import {describe, expect, it} from 'vitest';
import {Sequential, dense, meanSquaredError, regularizers, setSeed, sgd} from './index';
import {valueAndGrads} from '@trellis/core';
import {onCpuWith} from '../test/cpu';

const data = onCpuWith(() => ({
  x: tf.randomUniform([32, 4], -1, 1, 'float32', 1),
  y: tf.randomUniform([32, 2], -1, 1, 'float32', 2),
}));

describe('regularization_loss', () => {
  it('logs the penalty of each epoch, the part of loss it makes', async () => {
    setSeed(3);
    const model = new Sequential([dense({units: 2, inputShape: [4], kernelRegularizer: regularizers.l2(0.05)})]);
    // One batch per epoch and a learning rate too small to move the weights in float32 terms.
    model.compile({optimizer: sgd({learningRate: 1e-9}), loss: meanSquaredError()});
    const kernel = model.getWeights()['dense/kernel']!;
    const expectedPenalty = tf.tidy(() => tf.mul(0.05, tf.sum(tf.square(kernel))).dataSync()[0]!);
    const predicted = model.predict(data.x);
    const dataLoss = tf.tidy(() => tf.mean(tf.square(tf.sub(predicted, data.y))).dataSync()[0]!);
    const history = await model.fit(data.x, data.y, {epochs: 2, batchSize: 32, shuffle: false});
    expect(history.history.regularization_loss![0]).toBeCloseTo(expectedPenalty, 5);
    expect(history.history.loss![0]! - history.history.regularization_loss![0]!).toBeCloseTo(dataLoss, 5);
    tf.dispose([kernel, predicted]);
    model.dispose();
  });

  it('is absent without regularizers, and leaks nothing across epochs', async () => {
    setSeed(4);
    const plain = new Sequential([dense({units: 2, inputShape: [4]})]);
    plain.compile({optimizer: sgd({learningRate: 0.1}), loss: meanSquaredError()});
    const history = await plain.fit(data.x, data.y, {epochs: 1, batchSize: 8});
    expect(Object.keys(history.history)).toEqual(['loss']);
    plain.dispose();

    const regularized = new Sequential([
      dense({units: 2, inputShape: [4], kernelRegularizer: regularizers.l2(0.01), activityRegularizer: regularizers.l2(0.01)}),
    ]);
    regularized.compile({optimizer: sgd({learningRate: 0.1}), loss: meanSquaredError()});
    const counts: number[] = [];
    await regularized.fit(data.x, data.y, {
      epochs: 4,
      batchSize: 8,
      callbacks: [{name: 'count', onEpochEnd: () => void counts.push(tf.memory().numTensors)}],
    });
    expect(new Set(counts.slice(1)).size).toBe(1);
    regularized.dispose();
  });
});

describe('model.losses in a custom loop', () => {
  function regularized() {
    setSeed(7);
    const model = new Sequential([
      dense({
        units: 6,
        activation: 'tanh',
        inputShape: [4],
        kernelRegularizer: regularizers.l2(0.01),
        activityRegularizer: regularizers.l1(0.02),
      }),
      dense({units: 2, biasRegularizer: regularizers.l2(0.03)}),
    ]);
    model.compile({optimizer: sgd({learningRate: 0.1, momentum: 0.9}), loss: meanSquaredError()});
    return model;
  }

  it("adding model.losses reproduces fit's trajectory exactly (activity and weight penalties)", async () => {
    const fitted = regularized();
    const history = await fitted.fit(data.x, data.y, {epochs: 2, batchSize: 8, shuffle: false});
    const looped = regularized();
    const mse = meanSquaredError();
    const epochLosses: number[] = [];
    for (let epoch = 0; epoch < 2; epoch++) {
      let sum = 0;
      for (let start = 0; start < 32; start += 8) {
        const [xb, yb] = [tf.slice(data.x, start, 8), tf.slice(data.y, start, 8)];
        const {value, grads} = valueAndGrads(() => {
          const out = looped.apply(xb, {training: true});
          return tf.addN([tf.mean(mse(yb, out)), ...looped.losses]) as tf.Scalar;
        }, looped);
        sum += value.dataSync()[0]! * 8;
        looped.optimizer.applyGradients(grads, looped.trainableVariables);
        tf.dispose([xb, yb, value, grads]);
      }
      epochLosses.push(sum / 32);
    }
    // fit sums the batch losses on the device in float32; here in float64.
    epochLosses.forEach((loss, i) => expect(loss).toBeCloseTo(history.history.loss![i]!, 6));
    const [a, b] = [fitted.getWeights(), looped.getWeights()];
    for (const name of Object.keys(a)) expect(Array.from(b[name]!.dataSync())).toEqual(Array.from(a[name]!.dataSync()));
    tf.dispose([a, b]);
    fitted.dispose();
    looped.dispose();
  });

  it("holds the last apply's penalties then the weight penalties, as new tensors, and leaks nothing", () => {
    const model = regularized();
    tf.dispose(model.apply(data.x));
    const before = tf.memory().numTensors;
    const losses = model.losses;
    expect(losses).toHaveLength(3);
    expect(tf.memory().numTensors).toBe(before + 3);
    tf.dispose(losses);
    tf.dispose(model.apply(data.x));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
