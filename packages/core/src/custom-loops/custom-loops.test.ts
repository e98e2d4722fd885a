import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {beforeAll, describe, expect, it} from 'vitest';
import {mse, sgd, testDense} from '../../test/fixtures';
import {ConfigError, Sequential, globalNorm, normsByLayer, normsByVariable, setSeed, valueAndGrads} from '../index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Runs `fn` (which may throw) and checks it leaves no tensor behind. */
function expectNoNewTensors(fn: () => void): void {
  const before = tf.memory().numTensors;
  fn();
  expect(tf.memory().numTensors).toBe(before);
}

function data(n: number) {
  return tf.tidy(() => {
    const x = tf.randomUniform([n, 4], -1, 1, 'float32', 3);
    const y = tf.sum(tf.mul(x, tf.tensor1d([0.5, -1, 2, 0.25])), 1, true);
    return {x, y};
  });
}

function model(seed: number) {
  setSeed(seed);
  const m = new Sequential([testDense(8, {inputShape: [4], relu: true}), testDense(1)]);
  m.compile({optimizer: sgd(0.05), loss: mse});
  return m;
}

const values = (ws: Record<string, tf.Tensor>) => Object.fromEntries(Object.entries(ws).map(([k, t]) => [k, Array.from(t.dataSync())]));

describe('valueAndGrads', () => {
  it("reproduces fit's trajectory exactly on cpu in a hand-written loop", async () => {
    const {x, y} = data(50);
    const fitted = model(11);
    await fitted.fit(x, y, {epochs: 3, batchSize: 16, shuffle: false});

    const looped = model(11);
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let start = 0; start < 50; start += 16) {
        const size = Math.min(16, 50 - start);
        const [xb, yb] = [tf.slice(x, start, size), tf.slice(y, start, size)];
        const {value, grads} = valueAndGrads(() => tf.mean(mse(yb, looped.apply(xb, {training: true}))), looped);
        looped.optimizer.applyGradients(grads, looped.trainableVariables);
        tf.dispose([xb, yb, value, grads]);
      }
    }
    const [a, b] = [fitted.getWeights(), looped.getWeights()];
    expect(values(b)).toEqual(values(a));
    tf.dispose([x, y, a, b]);
    fitted.dispose();
    looped.dispose();
  });

  it('keys gradients by weight name, gives zeros to unused variables, and leaks nothing', () => {
    const used = tf.variable(tf.tensor1d([1, 2, 3]), true, 'vag/used');
    const unused = tf.variable(tf.tensor2d([[1, 2]]), true, 'vag/unused');
    expectNoNewTensors(() => {
      const {value, grads} = valueAndGrads(() => tf.sum(tf.square(used)), {'layer/used': used, 'layer/unused': unused});
      expect(value.dataSync()[0]).toBe(14);
      expect(Object.keys(grads).sort()).toEqual(['layer/unused', 'layer/used']);
      expect(Array.from(grads['layer/used']!.dataSync())).toEqual([2, 4, 6]);
      expect(Array.from(grads['layer/unused']!.dataSync())).toEqual([0, 0]);
      tf.dispose([value, grads]);
    });
    tf.dispose([used, unused]);
  });

  it('rejects a non-scalar value and missing variables with a ConfigError, leaking nothing', () => {
    const v = tf.variable(tf.ones([2]), true, 'vag/v');
    expectNoNewTensors(() => {
      expect(() => valueAndGrads(() => tf.mul(v, 2) as unknown as tf.Scalar, {v})).toThrow(ConfigError);
    });
    expectNoNewTensors(() => {
      expect(() =>
        valueAndGrads(
          () => {
            tf.mul(v, 3);
            throw new Error('boom');
          },
          {v},
        ),
      ).toThrow('boom');
    });
    const ok = valueAndGrads(() => tf.sum(v), {v});
    tf.dispose([ok.value, ok.grads]);
    expect(() => valueAndGrads(() => tf.sum(v), {})).toThrow(/a model or a record of tf.Variables/);
    expect(() => valueAndGrads('loss' as never, {v})).toThrow(/expects a function/);
    v.dispose();
  });
});

describe('gradient norms', () => {
  it('global, per layer and per variable L2 norms, as a float64 computation', () => {
    const grads = {
      'dense/kernel': tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      'dense/bias': tf.tensor1d([0.5, -0.5]),
      'dense_1/kernel': tf.tensor2d([[-2], [1]]),
    };
    const read = (r: Record<string, tf.Scalar>) => Object.fromEntries(Object.entries(r).map(([k, t]) => [k, t.dataSync()[0]]));
    const global = globalNorm(grads);
    expect(global.dataSync()[0]).toBeCloseTo(Math.sqrt(30 + 0.5 + 5), 6);
    const layers = normsByLayer(grads);
    expect(read(layers)).toEqual({dense: expect.closeTo(Math.sqrt(30.5), 6), dense_1: expect.closeTo(Math.sqrt(5), 6)});
    const variables = normsByVariable(grads);
    expect(read(variables)['dense/bias']).toBeCloseTo(Math.sqrt(0.5), 6);
    expect(globalNorm({}).dataSync()[0]).toBe(0);
    tf.dispose([global, layers, variables, grads]);
  });
});

describe('model.apply', () => {
  it('runs a batch in inference or training mode (dropout), returning a tensor the caller owns', () => {
    setSeed(1);
    const m = new Sequential([testDense(3, {inputShape: [4], dropout: 0.5})]);
    const x = tf.ones([6, 4]);
    m.build([4]);
    const before = tf.memory().numTensors;
    const inference = m.apply(x);
    const training = m.apply(x, {training: true});
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(inference.shape).toEqual([6, 3]);
    expect(Array.from(training.dataSync())).not.toEqual(Array.from(inference.dataSync()));
    const predicted = m.predict(x);
    expect(Array.from(inference.dataSync())).toEqual(Array.from(predicted.dataSync()));
    tf.dispose([x, inference, training, predicted]);
    m.dispose();
  });
});
