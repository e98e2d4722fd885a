// Custom losses and metrics from plain functions, as Keras accepts any
// callable: compile({loss: fn}), defineLoss and defineMetric, checked against
// a hand computation.
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, defineLoss} from '@trellis/core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {Sequential, createTrellis, layers, losses, metrics, optimizers, setSeed} from './index';

/** Binary crossentropy with the positive class weighted `posWeight` times: per sample, the mean over the last axis. */
const weightedBce = (posWeight: number) =>
  defineLoss({
    name: 'weightedBce',
    targetKind: 'binary',
    fn: (yTrue, yPred) => {
      const clipped = tf.clipByValue(yPred, 1e-7, 1 - 1e-7);
      const positive = tf.mul(tf.mul(yTrue, tf.log(clipped)), posWeight);
      const negative = tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, clipped)));
      return tf.neg(tf.mean(tf.add(positive, negative), -1));
    },
  });

/** The same formula in plain numbers, per sample (one output each). */
const handBce = (y: number, p: number, posWeight: number) => {
  const q = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
  return -(posWeight * y * Math.log(q) + (1 - y) * Math.log(1 - q));
};

let x: tf.Tensor2D;
let y: tf.Tensor2D;
let w: tf.Tensor1D;
beforeAll(async () => {
  await createTrellis({backend: 'cpu'});
  x = tf.randomUniform([10, 3], -1, 1, 'float32', 1) as tf.Tensor2D;
  y = tf.tensor2d([1, 0, 0, 1, 1, 0, 1, 0, 0, 0], [10, 1]);
  w = tf.tensor1d([1, 2, 0.5, 1, 3, 1, 1, 0, 2, 1]);
});
afterAll(() => tf.dispose([x, y, w]));

function classifier(): Sequential {
  setSeed(3);
  const model = new Sequential([
    layers.dense({units: 4, activation: 'tanh', inputShape: [3]}),
    layers.dense({units: 1, activation: 'sigmoid'}),
  ]);
  model.build([3]);
  return model;
}

describe('custom losses', () => {
  it('defineLoss: evaluate gives Σ w·loss / batch of the hand computation, as a built-in loss', async () => {
    const model = classifier();
    model.compile({optimizer: optimizers.sgd(), loss: weightedBce(3)});
    const p = Array.from(model.predict(x).dataSync());
    const ys = Array.from(y.dataSync());
    const ws = Array.from(w.dataSync());
    const per = ys.map((yi, i) => handBce(yi, p[i]!, 3));
    const expected = per.reduce((s, l, i) => s + ws[i]! * l, 0) / ys.length;
    const unweighted = per.reduce((s, l) => s + l, 0) / ys.length;
    expect((await model.evaluate(x, y, {sampleWeight: w})).loss).toBeCloseTo(expected, 5);
    expect((await model.evaluate(x, y)).loss).toBeCloseTo(unweighted, 5);
    // With posWeight 1 it is the built-in binary crossentropy.
    model.compile({optimizer: optimizers.sgd(), loss: weightedBce(1)});
    const custom = await model.evaluate(x, y, {sampleWeight: w});
    model.compile({optimizer: optimizers.sgd(), loss: losses.binaryCrossentropy()});
    expect(custom.loss).toBeCloseTo((await model.evaluate(x, y, {sampleWeight: w})).loss!, 5);
    model.dispose();
  });

  it('compile({loss: fn}) takes a plain function and trains as the defineLoss of it does', async () => {
    const fn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.mean(tf.abs(tf.sub(yTrue, yPred)), -1);
    const [a, b] = [classifier(), classifier()];
    a.compile({optimizer: optimizers.adam({learningRate: 0.05}), loss: fn});
    b.compile({optimizer: optimizers.adam({learningRate: 0.05}), loss: defineLoss({name: 'fn', fn})});
    const ha = await a.fit(x, y, {epochs: 3, batchSize: 4, shuffle: false, sampleWeight: w, verbose: 0});
    const hb = await b.fit(x, y, {epochs: 3, batchSize: 4, shuffle: false, sampleWeight: w, verbose: 0});
    expect(ha.history.loss).toEqual(hb.history.loss);
    expect(ha.history.loss![2]!).toBeLessThan(ha.history.loss![0]!);
    expect(a.compiled!.loss.spec).toEqual({id: 'custom/fn', config: {}});
    a.dispose();
    b.dispose();
  });

  it('a scalar loss is every sample’s loss: s · mean(w) with sample weights, as in Keras', async () => {
    const model = classifier();
    model.compile({optimizer: optimizers.sgd(), loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.mean(tf.square(tf.sub(yTrue, yPred)))});
    const p = Array.from(model.predict(x).dataSync());
    const ys = Array.from(y.dataSync());
    const s = ys.reduce((acc, yi, i) => acc + (yi - p[i]!) ** 2, 0) / ys.length;
    const meanW = Array.from(w.dataSync()).reduce((a, b) => a + b, 0) / ys.length;
    expect((await model.evaluate(x, y, {batchSize: 10})).loss).toBeCloseTo(s, 5);
    expect((await model.evaluate(x, y, {batchSize: 10, sampleWeight: w})).loss).toBeCloseTo(s * meanW, 5);
    model.dispose();
  });

  it('refuses what is not a loss function, with typed errors', () => {
    const model = classifier();
    expect(() => model.compile({optimizer: optimizers.sgd(), loss: losses.binaryCrossentropy as never})).toThrow(ConfigError);
    expect(() => model.compile({optimizer: optimizers.sgd(), loss: losses.binaryCrossentropy as never})).toThrow(/\(yTrue, yPred\)/);
    expect(() => defineLoss({name: 'has space', fn: (a) => a})).toThrow(ConfigError);
    expect(() => defineLoss({name: 'ok'} as never)).toThrow(/fn must be a function/);
    const bad = defineLoss({name: 'bad', fn: (yTrue) => tf.sum(yTrue, 0)});
    const before = tf.memory().numTensors;
    expect(() => bad(tf.zeros([4, 2]), tf.zeros([4, 2]))).toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(() => model.compile({optimizer: optimizers.sgd(), loss: 'mse', metrics: [((a: tf.Tensor) => a) as never]})).toThrow(
      /defineMetric/,
    );
    model.dispose();
  });
});

describe('defineMetric', () => {
  it('is the mean over every sample seen, across batches of unequal size (not a mean of batch means)', async () => {
    const model = classifier();
    const meanError = metrics.defineMetric({name: 'mean_error', fn: (yTrue, yPred) => tf.sub(yPred, yTrue)});
    model.compile({optimizer: optimizers.sgd(), loss: 'binary_crossentropy', metrics: [meanError], weightedMetrics: [meanError]});
    const p = Array.from(model.predict(x).dataSync());
    const ys = Array.from(y.dataSync());
    const ws = Array.from(w.dataSync());
    const errors = ys.map((yi, i) => p[i]! - yi);
    const result = await model.evaluate(x, y, {batchSize: 4, sampleWeight: w});
    expect(result.mean_error).toBeCloseTo(errors.reduce((a, b) => a + b, 0) / errors.length, 5);
    const weighted = errors.reduce((a, e, i) => a + ws[i]! * e, 0) / ws.reduce((a, b) => a + b, 0);
    expect(result.weighted_mean_error).toBeCloseTo(weighted, 5);
    expect(meanError.spec).toEqual({id: 'trellis/mean', config: {name: 'mean_error'}});
    expect(() => metrics.defineMetric({fn: (a: tf.Tensor) => a} as never)).toThrow(ConfigError);
    model.dispose();
  });
});
