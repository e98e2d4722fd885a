import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {beforeAll, describe, expect, it} from 'vitest';
import {mae, mse, sgd, testDense, constantInit} from '../../test/fixtures';
import {
  ConfigError,
  DataError,
  Sequential,
  ShapeError,
  StateError,
  UnknownIdError,
  createRegistry,
  isTrellisError,
  setSeed,
  type Callback,
  type Layer,
} from '../index';
import {weightValues} from '../../test/weight-values';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function data(n = 64, features = 3) {
  return tf.tidy(() => {
    const x = tf.randomNormal([n, features], 0, 1, 'float32', 1);
    const w = tf.tensor2d([[1.5], [-2], [0.5]].slice(0, features));
    const y = tf.add(tf.matMul(x, w), 0.3);
    return {x, y};
  });
}

function linearModel() {
  const model = new Sequential([testDense(1, {inputShape: [3]})]);
  model.compile({optimizer: sgd(0.1), loss: mse, metrics: [mae]});
  return model;
}

describe('Sequential.fit', () => {
  it('matches a hand-written gradient-descent loop', async () => {
    setSeed(3);
    const {x, y} = data();
    const model = linearModel();
    const w0 = model.getWeights();
    const history = await model.fit(x, y, {epochs: 3, batchSize: 16, shuffle: false});

    // Oracle: the same updates written directly with tf.grads.
    const w = tf.variable(w0['dense/kernel']!);
    const b = tf.variable(w0['dense/bias']!);
    const losses: number[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      let sum = 0;
      for (let s = 0; s < 64; s += 16) {
        const xb = tf.slice(x, [s, 0], [16, 3]);
        const yb = tf.slice(y, [s, 0], [16, 1]);
        const f = () => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(xb, w), b), yb))) as tf.Scalar;
        const {value, grads} = tf.variableGrads(f, [w, b]);
        sum += value.dataSync()[0]! * 16;
        w.assign(tf.sub(w, tf.mul(grads[w.name]!, 0.1)));
        b.assign(tf.sub(b, tf.mul(grads[b.name]!, 0.1)));
      }
      losses.push(sum / 64);
    }
    const got = model.getWeights();
    expect(Array.from(got['dense/kernel']!.dataSync())).toEqual(Array.from(w.dataSync()));
    expect(Array.from(got['dense/bias']!.dataSync())).toEqual(Array.from(b.dataSync()));
    history.history.loss!.forEach((l, i) => expect(l).toBeCloseTo(losses[i]!, 5));
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(history.history.mae).toHaveLength(3);
    model.dispose();
  });

  it('keeps the tensor count flat across epochs', async () => {
    const {x, y} = data();
    const model = linearModel();
    const counts: number[] = [];
    await model.fit(x, y, {
      epochs: 5,
      batchSize: 10,
      validationSplit: 0.2,
      callbacks: [{name: 'count', onEpochEnd: () => void counts.push(tf.memory().numTensors)}],
    });
    expect(counts).toHaveLength(5);
    expect(new Set(counts).size).toBe(1);
    model.dispose();
    tf.dispose([x, y]);
  });

  it('reports val_ logs equal to evaluate on the held-out end', async () => {
    const {x, y} = data(50);
    const model = linearModel();
    const history = await model.fit(x, y, {epochs: 1, batchSize: 8, validationSplit: 0.2});
    const evaluated = await model.evaluate(tf.slice(x, [40, 0], [10, 3]), tf.slice(y, [40, 0], [10, 1]), {batchSize: 8});
    expect(history.history.val_loss![0]).toBeCloseTo(evaluated.loss!, 6);
    expect(history.history.val_mae![0]).toBeCloseTo(evaluated.mae!, 6);
    model.dispose();
  });

  it('is bit-identical across runs with the same seed', async () => {
    const run = async () => {
      setSeed(42);
      const {x, y} = data();
      const model = new Sequential([testDense(4, {inputShape: [3], relu: true, dropout: 0.3}), testDense(1)]);
      model.compile({optimizer: sgd(0.05), loss: mse});
      await model.fit(x, y, {epochs: 2, batchSize: 8});
      const out = weightValues(model);
      model.dispose();
      return out;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    setSeed(43);
    const {x, y} = data();
    const model = new Sequential([testDense(4, {inputShape: [3]}), testDense(1)]);
    expect(Array.from(model.getWeights()['dense/kernel']!.dataSync())).not.toEqual(a['dense/kernel']);
    model.dispose();
    tf.dispose([x, y]);
  });

  it('calls hooks in order, reads logs on demand and stops', async () => {
    const {x, y} = data(32);
    const model = linearModel();
    const events: string[] = [];
    const batchLosses: number[] = [];
    const cb: Callback = {
      name: 'spy',
      onFitStart: () => void events.push('fitStart'),
      onEpochStart: (c) => void events.push(`epochStart${c.epoch}`),
      onBatchEnd: async (c) => {
        const logs = await c.readLogs(['batch_loss', 'loss']);
        batchLosses.push(logs.batch_loss!);
        if (c.epoch === 1 && c.batch === 1) c.stop('enough');
      },
      onEpochEnd: async (c) =>
        void events.push(
          `epochEnd${c.epoch}:${Object.keys(await c.readLogs())
            .sort()
            .join(',')}`,
        ),
      onFitEnd: () => void events.push('fitEnd'),
    };
    const first: Callback = {name: 'first', order: -1, onFitStart: () => void events.push('first')};
    const history = await model.fit(x, y, {epochs: 5, batchSize: 8, callbacks: [cb, first]});
    expect(events).toEqual(['first', 'fitStart', 'epochStart0', 'epochEnd0:loss,mae', 'epochStart1', 'epochEnd1:loss,mae', 'fitEnd']);
    expect(batchLosses).toHaveLength(6);
    expect(history.stopReason).toBe('enough');
    expect(history.epoch).toEqual([0, 1]);
    model.dispose();
  });

  it('calls onError and rethrows, leaving no tensors behind', async () => {
    const {x, y} = data(32);
    const model = linearModel();
    await model.fit(x, y, {epochs: 1, batchSize: 8});
    const before = tf.memory().numTensors;
    let seen: unknown;
    await expect(
      model.fit(x, y, {
        epochs: 2,
        batchSize: 8,
        callbacks: [
          {
            name: 'boom',
            onBatchEnd: (c) => {
              if (c.batch === 2) throw new Error('boom');
            },
            onError: (_c, e) => void (seen = e),
          },
        ],
      }),
    ).rejects.toThrow('boom');
    expect((seen as Error).message).toBe('boom');
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('bad input', () => {
  type Case = [string, (x: tf.Tensor, y: tf.Tensor) => [unknown, unknown, object?], new (...a: never[]) => Error, RegExp];
  const cases: Case[] = [
    ['x/y length mismatch', (x) => [x, tf.zeros([10, 1])], ShapeError, /x has 64 samples but y has 10/],
    ['wrong input width', () => [tf.zeros([4, 5]), tf.zeros([4, 1])], ShapeError, /\[4, 5\], but the model expects \[batch, 3\]/],
    ['NaN in x', (x, y) => [tf.concat([x, tf.fill([1, 3], NaN)]), tf.concat([y, tf.zeros([1, 1])])], DataError, /NaN at sample 64/],
    ['batchSize 0', (x, y) => [x, y, {batchSize: 0}], ConfigError, /batchSize must be a positive integer; got 0/],
    ['validationSplit 1', (x, y) => [x, y, {validationSplit: 1}], ConfigError, /\[0, 1\); got 1/],
    ['validationSplit -0.1', (x, y) => [x, y, {validationSplit: -0.1}], ConfigError, /\[0, 1\); got -0.1/],
    ['empty data', () => [tf.zeros([0, 3]), tf.zeros([0, 1])], DataError, /empty \(0 samples\)/],
    ['a string as x', (_x, y) => ['abc', y], Error, /must be a tf.Tensor .* got 'abc'/],
    [
      'ragged arrays',
      () => [
        [[1, 2, 3], [1]],
        [[1], [2]],
      ],
      ShapeError,
      /could not be turned into a tensor/,
    ],
    ['epochs -1', (x, y) => [x, y, {epochs: -1}], ConfigError, /epochs must be a non-negative integer; got -1/],
    ['bad validationData', (x, y) => [x, y, {validationData: [x]}], ConfigError, /validationData must be \[x, y\]/],
  ];
  for (const [label, make, type, message] of cases) {
    it(`${label} throws a typed error and leaks nothing`, async () => {
      const {x, y} = data();
      const model = linearModel();
      await model.fit(x, y, {epochs: 1, batchSize: 64});
      const [xs, ys, options] = make(x, y);
      const before = tf.memory().numTensors;
      let error: unknown;
      try {
        await model.fit(xs as tf.Tensor, ys as tf.Tensor, options as never);
      } catch (e) {
        error = e;
      }
      expect(isTrellisError(error), String(error)).toBe(true);
      expect(error).toBeInstanceOf(type);
      expect((error as Error).message).toMatch(message);
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    });
  }

  it('unknown loss and optimizer ids list the known ids', () => {
    const registry = createRegistry({
      name: 'fixture',
      specVersion: 1,
      setup: (r) => r.register('loss', 'test/mse', () => mse),
    });
    const model = new Sequential([testDense(1, {inputShape: [3]})]);
    expect(() => model.compile({optimizer: sgd(0.1), loss: 'huber', registry})).toThrow(UnknownIdError);
    expect(() => model.compile({optimizer: sgd(0.1), loss: 'huber', registry})).toThrow(/known ids: test\/mse/);
    expect(() => model.compile({optimizer: 'adam', loss: 'mse', registry})).toThrow(/Unknown optimizer id 'adam'/);
    model.compile({optimizer: sgd(0.1), loss: 'mse', registry});
    model.dispose();
  });

  it('names layers like Keras: the snake case of the spec id, numbered from the second', () => {
    const withId = (id: string, inputShape?: number[]): Layer => ({
      ...testDense(1, inputShape ? {inputShape} : {}),
      spec: {id, config: {}},
    });
    const model = new Sequential([
      withId('test/leakyReLU', [3]),
      withId('test/conv2dTranspose'),
      withId('test/leakyReLU'),
      withId('test/batchNormalization'),
    ]);
    model.build([3]);
    expect(model.layers.map((l) => l.name)).toEqual(['leaky_re_lu', 'conv2d_transpose', 'leaky_re_lu_1', 'batch_normalization']);
    model.dispose();
  });

  it('fit before compile and setWeights mismatches are typed', () => {
    const model = new Sequential([testDense(1, {inputShape: [3], init: constantInit(1)})]);
    expect(() => model.compiled).toThrow(ConfigError);
    expect(() => model.setWeights({'dense/kernel': tf.zeros([2, 1])}, {strict: false})).toThrow(ShapeError);
    expect(() => model.setWeights({'nope/kernel': tf.zeros([3, 1])}, {strict: false})).toThrow(StateError);
    expect(() => model.setWeights({'dense/kernel': tf.zeros([3, 1])})).toThrow(/Missing weights: dense\/bias/);
    model.dispose();
  });
});

describe('predict', () => {
  it('batches and equals one pass', () => {
    const {x} = data(70);
    const model = linearModel();
    const a = model.predict(x, {batchSize: 16});
    const b = model.predict(x, {batchSize: 100});
    expect(a.shape).toEqual([70, 1]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const before = tf.memory().numTensors;
    model.predict(x, {batchSize: 16}).dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
