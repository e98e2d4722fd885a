import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {beforeAll, describe, expect, it} from 'vitest';
import {constantInit, sgd, testDense} from '../../test/fixtures';
import {linearModel, linearRows} from '../../test/linear';
import {ConfigError, Sequential, ShapeError, withSpec, type Loss} from '../index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function weights(model: Sequential): number[] {
  const all = model.getWeights();
  const values = [...all['dense/kernel']!.dataSync(), ...all['dense/bias']!.dataSync()];
  tf.dispose(Object.values(all));
  return values;
}

/** Float64 `{loss: sum(w·(p - y)²) / n, mae}` of the linear model with kernel `k` and bias `b`. */
function float64Logs(k: number[], b: number, x: number[][], y: number[][], w: number[]) {
  let loss = 0;
  let absolute = 0;
  x.forEach((r, i) => {
    const d = k.reduce((acc, kj, j) => acc + kj * r[j]!, b) - y[i]![0]!;
    loss += w[i]! * d * d;
    absolute += Math.abs(d);
  });
  return {loss: loss / x.length, mae: absolute / x.length};
}

/**
 * A {@link linearModel} after one `trainOnBatch` on 8 {@link linearRows} (so its
 * optimizer state exists), with those rows and the tensor count at that point.
 */
async function afterOneBatch() {
  const {x, y, w} = linearRows(8);
  const model = linearModel();
  await model.trainOnBatch(x, y);
  return {x, y, w, model, before: tf.memory().numTensors};
}

describe('trainOnBatch, testOnBatch, predictOnBatch', () => {
  it('trainOnBatch is one fit step on the whole batch; logs are that step (float64 oracle)', async () => {
    const {x, y, w} = linearRows(12);
    const stepped = linearModel();
    const fitted = linearModel();
    const logs = await stepped.trainOnBatch(x, y, {sampleWeight: w});
    await fitted.fit(x, y, {epochs: 1, batchSize: 12, shuffle: false, sampleWeight: w});
    expect(weights(stepped)).toEqual(weights(fitted));
    const want = float64Logs([0.1, 0.1, 0.1], 0, x, y, w);
    expect(Object.keys(logs).sort()).toEqual(['loss', 'mae']);
    expect(logs.loss).toBeCloseTo(want.loss, 5);
    expect(logs.mae).toBeCloseTo(want.mae, 5);
    stepped.dispose();
    fitted.dispose();
  });

  it('trainOnBatch with classWeight equals the same per-sample weights', async () => {
    const x = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [1, 1, 1],
    ];
    const ids = [0, 1, 1, 0];
    const sparseCe = withSpec(
      {id: 'test/sparseCe', config: {}},
      ((yTrue: tf.Tensor, yPred: tf.Tensor) =>
        tf.neg(tf.sum(tf.mul(tf.oneHot(tf.cast(yTrue, 'int32'), 2), tf.logSoftmax(yPred)), -1))) as unknown as Loss,
      {name: 'sparse_ce', targetKind: 'sparse' as const, fromLogits: true},
    ) as Loss;
    const a = new Sequential([testDense(2, {inputShape: [3], init: constantInit(0.1)})]);
    const b = new Sequential([testDense(2, {inputShape: [3], init: constantInit(0.1)})]);
    a.compile({optimizer: sgd(0.1), loss: sparseCe});
    b.compile({optimizer: sgd(0.1), loss: sparseCe});
    const la = await a.trainOnBatch(x, ids, {classWeight: {1: 2.5}});
    const lb = await b.trainOnBatch(x, ids, {sampleWeight: [1, 2.5, 2.5, 1]});

    expect(la).toEqual(lb);
    expect(weights(a)).toEqual(weights(b));
    a.dispose();
    b.dispose();
  });

  it('testOnBatch is the weighted loss and metrics in inference mode; predictOnBatch equals predict', async () => {
    const {x, y, w} = linearRows(9);
    const model = linearModel();
    const before = weights(model);
    const logs = await model.testOnBatch(x, y, {sampleWeight: w});
    const want = float64Logs([0.1, 0.1, 0.1], 0, x, y, w);
    expect(logs.loss).toBeCloseTo(want.loss, 5);
    expect(logs.mae).toBeCloseTo(want.mae, 5);
    expect(await model.testOnBatch(x, y)).toEqual(await model.evaluate(x, y, {batchSize: 9}));
    expect(weights(model)).toEqual(before);
    const once = model.predictOnBatch(x);
    const batched = model.predict(x, {batchSize: 4});
    expect(once.shape).toEqual([9, 1]);
    Array.from(once.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(batched.dataSync()[i]!, 6));
    tf.dispose([once, batched]);
    model.dispose();
  });

  it('leak nothing', async () => {
    const {x, y, w, model, before} = await afterOneBatch();
    await model.trainOnBatch(x, y, {sampleWeight: w});
    await model.testOnBatch(x, y, {sampleWeight: w});
    model.predictOnBatch(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('bad input throws typed errors and leaks nothing', async () => {
    const {x, y, w, model, before} = await afterOneBatch();
    await expect(model.trainOnBatch(x, y.slice(1))).rejects.toThrow(ShapeError);
    await expect(model.trainOnBatch(x, y, {sampleWeight: w.slice(2)})).rejects.toThrow(/sampleWeight must have shape \[8\]/);
    await expect(model.testOnBatch(x, y, {sampleWeight: w.slice(2)})).rejects.toThrow(ShapeError);
    await expect(model.trainOnBatch(x, y, null as never)).rejects.toThrow(ConfigError);
    expect(() => model.predictOnBatch([[1, 2]])).toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    const uncompiled = new Sequential([testDense(1, {inputShape: [3]})]);
    await expect(uncompiled.trainOnBatch(x, y)).rejects.toThrow(/not compiled/);
    uncompiled.dispose();
  });
});
