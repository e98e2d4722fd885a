// A model's life: freezing around compile, compile during fit, history of a failed fit,
// setWeights that changes all or nothing, and one error for every use after dispose().
import * as tf from '@tensorflow/tfjs-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {onCpu} from '../../test/cpu';
import {ConfigError, DTypeError, Sequential, ShapeError, StateError, adam, dense, meanSquaredError, setSeed, sgd} from '../index';
import {twoLayerRegressor} from '../../test/two-layer-regressor';
import {weightValues} from '../../test/weight-values';

onCpu();
let x: tf.Tensor;
let y: tf.Tensor;
beforeAll(() => {
  x = tf.randomUniform([32, 3], -1, 1, 'float32', 1);
  y = tf.randomUniform([32, 2], -1, 1, 'float32', 2);
});
afterAll(() => tf.dispose([x, y]));

const small = () => twoLayerRegressor({seed: 11, inputs: 3, activation: 'tanh', name: 'small'});

describe('freezing around compile', () => {
  it('freeze, compile, fit, unfreeze, fit: the unfrozen layer trains in the second fit', async () => {
    setSeed(11);
    const m = new Sequential([dense({units: 4, activation: 'tanh', inputShape: [3]}), dense({units: 2})]);
    m.layers[0]!.trainable = false;
    m.compile({optimizer: adam({learningRate: 0.01}), loss: meanSquaredError()});
    const start = weightValues(m);
    await m.fit(x, y, {epochs: 1, batchSize: 8});
    expect(weightValues(m)['dense/kernel']).toEqual(start['dense/kernel']);
    m.layers[0]!.trainable = true;
    await m.fit(x, y, {epochs: 1, batchSize: 8});
    expect(weightValues(m)['dense/kernel']).not.toEqual(start['dense/kernel']);
    m.dispose();
  });

  it('the optimizer creates state for a variable it meets later, keeping the others', () => {
    setSeed(1);
    const m = small();
    const a = m.weights[0]!;
    const b = m.weights[2]!;
    const opt = m.optimizer;
    opt.init({[a.name]: a.variable});
    const g = tf.onesLike(a.variable);
    opt.applyGradients({[a.name]: g}, {[a.name]: a.variable});
    const before = opt.getState();
    const gb = tf.onesLike(b.variable);
    opt.applyGradients({[b.name]: gb}, {[a.name]: a.variable, [b.name]: b.variable});
    expect(opt.variableNames).toEqual([a.name, b.name].sort());
    const after = opt.getState();
    // Adam's first moment of `a` kept its value; `b` got fresh slots then one update.
    const findMu = (tree: unknown): Record<string, tf.Tensor> | undefined =>
      Array.isArray(tree) ? tree.map(findMu).find(Boolean) : (tree as {mu?: Record<string, tf.Tensor>} | null)?.mu;
    const m1 = (s: typeof before, name: string) => Array.from(findMu(s.state)![name]!.dataSync());
    expect(m1(after, a.name)).toEqual(m1(before, a.name));
    expect(m1(after, b.name)[0]).toBeCloseTo(0.1, 6);
    tf.dispose([g, gb, before.state as tf.TensorContainer, after.state as tf.TensorContainer]);
    m.dispose();
  });
});

describe('compile during fit', () => {
  it('is refused with a StateError, and the fit goes on with its optimizer', async () => {
    const m = small();
    let refused: unknown;
    const before = tf.memory().numTensors;
    const history = await m.fit(x, y, {
      epochs: 2,
      batchSize: 8,
      callbacks: [
        {
          name: 'recompile',
          onEpochEnd: () => {
            try {
              m.compile({optimizer: sgd(), loss: meanSquaredError()});
            } catch (error) {
              refused = error;
            }
          },
        },
      ],
    });
    expect(StateError.is(refused)).toBe(true);
    expect((refused as Error).message).toMatch(/Model 'small' is training: compile\(\) cannot replace/);
    expect(history.history.loss).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
    m.compile({optimizer: sgd(), loss: meanSquaredError()});
    m.dispose();
  });
});

describe('a fit that fails', () => {
  it('keeps the history of the epochs that finished, on the error and on model.history', async () => {
    const m = small();
    const failure = m.fit(x, y, {
      epochs: 5,
      batchSize: 8,
      callbacks: [
        {
          name: 'boom',
          onEpochEnd: (c) => {
            if (c.epoch === 2) throw new Error('disk full');
          },
        },
      ],
    });
    const error = await failure.then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe('disk full');
    const history = (error as {history: {epoch: number[]; history: {loss: number[]}}}).history;
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(history.history.loss).toHaveLength(3);
    expect(m.history).toBe(history);
    m.dispose();
  });

  it('does not replace model.history when fit refuses its arguments', async () => {
    const m = small();
    const done = await m.fit(x, y, {epochs: 1});
    await expect(m.fit(x, y, {epochs: -1})).rejects.toThrow(ConfigError);
    expect(m.history).toBe(done);
    m.dispose();
  });
});

describe('setWeights', () => {
  it('checks every value before assigning any, with the error of its kind', () => {
    const m = small();
    const start = weightValues(m);
    const good = m.getWeights();
    const bad = (name: string, value: unknown) => ({...good, [name]: value}) as Record<string, tf.Tensor>;
    const disposed = tf.zeros([4]);
    disposed.dispose();
    const cases: [unknown, new (...a: never[]) => Error, RegExp][] = [
      [disposed, StateError, /tensor given for weight 'dense_1\/bias' is disposed/],
      [tf.zeros([2], 'int32'), DTypeError, /Weight 'dense_1\/bias' is float32; got a int32 tensor/],
      [tf.zeros([3]), ShapeError, /Weight 'dense_1\/bias' is \[2\] float32; got \[3\] float32/],
      [null, ConfigError, /Weight 'dense_1\/bias' must be given as a tensor of \[2\] float32; got null/],
      [[0, 0], ConfigError, /got an array of length 2/],
    ];
    const before = tf.memory().numTensors;
    for (const [value, kind, message] of cases) {
      // 'dense/kernel' (valid, new values) comes first: it must not be assigned either.
      const changed = tf.onesLike(good['dense/kernel']!);
      expect(() => m.setWeights({...bad('dense_1/bias', value), 'dense/kernel': changed})).toThrow(kind);
      expect(() => m.setWeights({...bad('dense_1/bias', value), 'dense/kernel': changed})).toThrow(message);
      changed.dispose();
      expect(weightValues(m)).toEqual(start);
    }
    expect(tf.memory().numTensors).toBe(before);
    // The model still works.
    expect(Array.from((m.predict(x) as tf.Tensor).shape)).toEqual([32, 2]);
    tf.dispose([good, cases.map((c) => c[0]).filter((v) => v instanceof tf.Tensor && !v.isDisposed) as tf.Tensor[]]);
    m.dispose();
  });
});

describe('a disposed model', () => {
  it('throws one StateError naming the model for every use', async () => {
    const m = small();
    m.dispose();
    const uses: [string, () => unknown][] = [
      ['predict', () => m.predict(x)],
      ['fit', () => m.fit(x, y)],
      ['evaluate', () => m.evaluate(x, y)],
      ['getWeights', () => m.getWeights()],
      ['setWeights', () => m.setWeights({})],
      ['summary', () => m.summary({print: false})],
      ['compile', () => m.compile({optimizer: sgd(), loss: meanSquaredError()})],
      ['trainOnBatch', () => m.trainOnBatch(x, y)],
      ['apply', () => m.apply(x)],
      ['weights', () => m.weights],
    ];
    for (const [, use] of uses) {
      let error: unknown;
      try {
        await use();
      } catch (e) {
        error = e;
      }
      expect(StateError.is(error)).toBe(true);
      expect((error as Error).message).toMatch(/^Model 'small' was disposed/);
    }
    expect(() => m.dispose()).not.toThrow();
  });
});
