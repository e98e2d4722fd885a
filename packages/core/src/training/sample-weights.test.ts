import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {beforeAll, describe, expect, it} from 'vitest';
import {constantInit, mae, mse, sgd, sparseCe, testDense} from '../../test/fixtures';
import {linearModel, linearRows} from '../../test/linear';
import {ConfigError, DataError, Sequential, ShapeError, withSpec, type History, type Loss} from '../index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Categorical crossentropy from logits (one-hot targets). */
const categoricalCe: Loss = withSpec(
  {id: 'test/categoricalCe', config: {}},
  ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.neg(tf.sum(tf.mul(yTrue, tf.logSoftmax(yPred)), -1))) as unknown as Loss,
  {name: 'categorical_ce', targetKind: 'categorical' as const, fromLogits: true},
) as Loss;

/** Weights in [0, 2) with every fourth 0. */
const sampleWeight = (i: number) => (i % 4 === 0 ? 0 : ((i * 13) % 17) / 8.5);

/**
 * Float64 oracle of `fit` on the linear model `p = x·k + b` with mse and SGD,
 * without shuffling: each step minimizes `sum(w·(p - y)²) / batch`.
 */
function float64Fit(x: number[][], y: number[][], w: number[], epochs: number, batch: number, lr: number) {
  const k = [0.1, 0.1, 0.1];
  let b = 0;
  const losses: number[] = [];
  for (let e = 0; e < epochs; e++) {
    let sum = 0;
    for (let s = 0; s < x.length; s += batch) {
      const end = Math.min(x.length, s + batch);
      const size = end - s;
      const gk = [0, 0, 0];
      let gb = 0;
      let loss = 0;
      for (let i = s; i < end; i++) {
        const p = k[0]! * x[i]![0]! + k[1]! * x[i]![1]! + k[2]! * x[i]![2]! + b;
        const d = p - y[i]![0]!;
        loss += (w[i]! * d * d) / size;
        for (let j = 0; j < 3; j++) gk[j]! += (2 * w[i]! * d * x[i]![j]!) / size;
        gb += (2 * w[i]! * d) / size;
      }
      sum += loss * size;
      for (let j = 0; j < 3; j++) k[j] = k[j]! - lr * gk[j]!;
      b -= lr * gb;
    }
    losses.push(sum / x.length);
  }
  return {k, b, losses};
}

/** Expects two fits to have logged the same losses and reached the same kernel; disposes both models. */
function expectSameTraining([a, ha]: [Sequential, History], [b, hb]: [Sequential, History]): void {
  expect(ha.history.loss).toEqual(hb.history.loss);
  expect(Array.from(a.getWeights()['dense/kernel']!.dataSync())).toEqual(Array.from(b.getWeights()['dense/kernel']!.dataSync()));
  a.dispose();
  b.dispose();
}

function expectRelClose(got: ArrayLike<number>, want: ArrayLike<number>, tolerance = 1e-5) {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    expect(Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!))).toBeLessThan(tolerance);
  }
}

describe('fit with sampleWeight', () => {
  it('weights each batch loss as sum(w·l) / batch (float64 oracle, smaller last batch)', async () => {
    const {x, y, w} = linearRows(40, sampleWeight);
    const model = linearModel();
    const history = await model.fit(x, y, {epochs: 3, batchSize: 16, shuffle: false, sampleWeight: w});
    const oracle = float64Fit(x, y, w, 3, 16, 0.1);
    const got = model.getWeights();
    expectRelClose(got['dense/kernel']!.dataSync(), oracle.k);
    expectRelClose(got['dense/bias']!.dataSync(), [oracle.b]);
    expectRelClose(history.history.loss!, oracle.losses);
    tf.dispose(Object.values(got));
    model.dispose();
  });

  it('with all weights 1 equals an unweighted fit bit for bit', async () => {
    const {x, y} = linearRows(30, sampleWeight);
    const a = linearModel();
    const b = linearModel();
    const ha = await a.fit(x, y, {epochs: 2, batchSize: 8, shuffle: false});
    const hb = await b.fit(x, y, {epochs: 2, batchSize: 8, shuffle: false, sampleWeight: tf.ones([30, 1])});
    expect(hb.history.loss).toEqual(ha.history.loss);
    expect(Array.from(b.getWeights()['dense/kernel']!.dataSync())).toEqual(Array.from(a.getWeights()['dense/kernel']!.dataSync()));
    a.dispose();
    b.dispose();
  });

  it('weights the loss, not the metrics (Keras weights only weighted_metrics)', async () => {
    const {x, y, w} = linearRows(24, sampleWeight);
    const model = new Sequential([testDense(1, {inputShape: [3], init: constantInit(0.1)})]);
    model.compile({optimizer: sgd(0), loss: mse, metrics: [mae]});
    const plain = await model.fit(x, y, {epochs: 1, batchSize: 8, shuffle: false});
    const weighted = await model.fit(x, y, {epochs: 1, batchSize: 8, shuffle: false, sampleWeight: w});
    expect(weighted.history.mae).toEqual(plain.history.mae);
    expect(weighted.history.loss![0]).toBeCloseTo(float64Fit(x, y, w, 1, 8, 0).losses[0]!, 5);
    expect(weighted.history.loss![0]).not.toBeCloseTo(plain.history.loss![0]!, 3);
    model.dispose();
  });

  it('weights the validation loss of [x, y, sampleWeight] (float64 oracle)', async () => {
    const {x, y, w} = linearRows(20, sampleWeight);
    const model = linearModel();
    const history = await model.fit(x.slice(0, 10), y.slice(0, 10), {
      epochs: 1,
      batchSize: 10,
      shuffle: false,
      validationData: [x.slice(10), y.slice(10), w.slice(10)],
      validationBatchSize: 4,
    });
    const trained = float64Fit(x.slice(0, 10), y.slice(0, 10), new Array(10).fill(1), 1, 10, 0.1);
    let want = 0;
    for (let s = 10; s < 20; s += 4) {
      const end = Math.min(20, s + 4);
      let batch = 0;
      for (let i = s; i < end; i++) {
        const p = trained.k.reduce((acc, kj, j) => acc + kj * x[i]![j]!, trained.b);
        batch += w[i]! * (p - y[i]![0]!) ** 2;
      }
      want += batch; // (sum / size) · size: Keras' tracker weights batch losses by their size.
    }
    expect(history.history.val_loss![0]).toBeCloseTo(want / 10, 5);
    model.dispose();
  });

  it('splits the weights with validationSplit (as passing the tail as validationData)', async () => {
    const {x, y, w} = linearRows(25, sampleWeight);
    const a = linearModel();
    const b = linearModel();
    const ha = await a.fit(x, y, {epochs: 2, batchSize: 6, shuffle: false, sampleWeight: w, validationSplit: 0.2});
    const hb = await b.fit(x.slice(0, 20), y.slice(0, 20), {
      epochs: 2,
      batchSize: 6,
      shuffle: false,
      sampleWeight: w.slice(0, 20),
      validationData: [x.slice(20), y.slice(20), w.slice(20)],
    });
    expect(ha.history).toEqual(hb.history);
    a.dispose();
    b.dispose();
  });

  it('leaks no tensor, arrays or tensors given', async () => {
    const {x, y, w} = linearRows(20, sampleWeight);
    const model = linearModel();
    await model.fit(x, y, {epochs: 1, batchSize: 8, sampleWeight: w});
    const sw = tf.tensor1d(w);
    const before = tf.memory().numTensors;
    await model.fit(x, y, {epochs: 2, batchSize: 8, sampleWeight: w, validationData: [x, y, w]});
    await model.fit(x, y, {epochs: 2, batchSize: 8, sampleWeight: sw, validationSplit: 0.25});
    expect(tf.memory().numTensors).toBe(before);
    expect(sw.isDisposed).toBe(false);
    sw.dispose();
    model.dispose();
  });
});

describe('fit with classWeight', () => {
  function classData(n: number) {
    const x: number[][] = [];
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      x.push([Math.sin(i), Math.cos(3 * i), (i % 5) / 5]);
      ids.push((i * 7) % 3);
    }
    return {x, ids, oneHot: ids.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)))};
  }
  function classifier(loss: Loss) {
    const model = new Sequential([testDense(3, {inputShape: [3], init: constantInit(0.2)})]);
    model.compile({optimizer: sgd(0.2), loss});
    return model;
  }
  const classWeight = {0: 0.5, 2: 3};

  it.each([
    ['sparse ids', sparseCe, (d: ReturnType<typeof classData>) => d.ids],
    ['one-hot targets', categoricalCe, (d: ReturnType<typeof classData>) => d.oneHot],
  ] as const)('%s: equals the per-sample weights of each class (unlisted classes weigh 1)', async (_, loss, targets) => {
    const d = classData(21);
    const a = classifier(loss);
    const b = classifier(loss);
    const ha = await a.fit(d.x, targets(d), {epochs: 2, batchSize: 5, shuffle: false, classWeight});
    const sampleWeight = d.ids.map((c) => (c === 0 ? 0.5 : c === 2 ? 3 : 1));
    const hb = await b.fit(d.x, targets(d), {epochs: 2, batchSize: 5, shuffle: false, sampleWeight});
    expectSameTraining([a, ha], [b, hb]);
  });

  it('with sampleWeight too, the two multiply (tf.keras rule)', async () => {
    const d = classData(21);
    const a = classifier(sparseCe);
    const b = classifier(sparseCe);
    const sampleWeight = d.ids.map((_, i) => 0.5 + (i % 4) / 2);
    const ha = await a.fit(d.x, d.ids, {epochs: 2, batchSize: 5, shuffle: false, classWeight, sampleWeight});
    const product = d.ids.map((c, i) => sampleWeight[i]! * (c === 0 ? 0.5 : c === 2 ? 3 : 1));
    const hb = await b.fit(d.x, d.ids, {epochs: 2, batchSize: 5, shuffle: false, sampleWeight: product});
    expectSameTraining([a, ha], [b, hb]);
  });

  it('does not weight the validation rows of validationSplit (Keras applies it to training data only)', async () => {
    const d = classData(20);
    const a = classifier(sparseCe);
    const b = classifier(sparseCe);
    const ha = await a.fit(d.x, d.ids, {epochs: 2, batchSize: 4, shuffle: false, classWeight, validationSplit: 0.25});
    const hb = await b.fit(d.x.slice(0, 15), d.ids.slice(0, 15), {
      epochs: 2,
      batchSize: 4,
      shuffle: false,
      classWeight,
      validationData: [d.x.slice(15), d.ids.slice(15)],
    });
    expect(ha.history).toEqual(hb.history);
    a.dispose();
    b.dispose();
  });
});

describe('bad sample and class weights', () => {
  const {x, y, w} = linearRows(12, sampleWeight);
  const sparse = linearRows(12, sampleWeight).x.map((_, i) => i % 3);
  const cases: [string, () => Sequential, unknown, unknown, object, new (...args: never[]) => Error, RegExp][] = [
    [
      'sampleWeight of the wrong length',
      linearModel,
      x,
      y,
      {sampleWeight: w.slice(1)},
      ShapeError,
      /sampleWeight must have shape \[12\].*got \[11\]/,
    ],
    ['sampleWeight of rank 2', linearModel, x, y, {sampleWeight: x}, ShapeError, /got \[12, 3\]/],
    ['sampleWeight with NaN', linearModel, x, y, {sampleWeight: w.map((v, i) => (i === 5 ? NaN : v))}, DataError, /NaN at sample 5/],
    [
      'a negative sampleWeight',
      linearModel,
      x,
      y,
      {sampleWeight: w.map((v, i) => (i === 3 ? -1 : v))},
      DataError,
      /-1 at sample 3.*non-negative/,
    ],
    [
      'validationData sampleWeight of the wrong length',
      linearModel,
      x,
      y,
      {validationData: [x, y, [1, 2]]},
      ShapeError,
      /validationData sampleWeight must have shape \[12\]/,
    ],
    [
      'classWeight naming class 1 of a 1-output model',
      () => linearModel(sparseCe),
      x,
      sparse,
      {classWeight: {1: 2}},
      ConfigError,
      /class '1'.*classes are 0\.\.0/,
    ],
    [
      'classWeight naming a non-integer class',
      () => linearModel(sparseCe),
      x,
      sparse,
      {classWeight: {'0.5': 2}},
      ConfigError,
      /class '0.5'/,
    ],
    [
      'classWeight with a negative weight',
      () => linearModel(sparseCe),
      x,
      sparse,
      {classWeight: {0: -2}},
      ConfigError,
      /classWeight\[0\].*non-negative.*got -2/,
    ],
    [
      'classWeight with a regression loss',
      linearModel,
      x,
      y,
      {classWeight: {0: 2}},
      ConfigError,
      /class ids.*'mse' takes real-valued targets/,
    ],
  ];
  it.each(cases)('%s throws a typed error naming what was expected and leaks nothing', async (_, make, xs, ys, options, type, message) => {
    const model = make();
    const before = tf.memory().numTensors;
    const error = await model.fit(xs as number[][], ys as number[][], {epochs: 1, ...options}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
