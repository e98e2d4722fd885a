// `fit` waits for each metric's asynchronous input checks (Metric.settled) before an epoch's logs.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {beforeAll, describe, expect, it} from 'vitest';
import {constantInit, mae, sgd, testDense, mse} from '../../test/fixtures';
import {linearRows} from '../../test/linear';
import {DataError, Sequential, type Metric} from '../index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** `mae` with a `settled` that records each call and rejects on the epochs listed in `failOn`. */
function checkedMae(failOn: readonly number[]) {
  const calls: number[] = [];
  const metric: Metric = {
    ...mae,
    async settled() {
      const call = calls.length;
      calls.push(call);
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (failOn.includes(call)) throw new DataError(`check ${call} failed`);
    },
  };
  return {metric, calls};
}

function model(metric: Metric, as: 'metrics' | 'weightedMetrics' = 'metrics'): Sequential {
  const m = new Sequential([testDense(1, {inputShape: [3], init: constantInit(0.1)})]);
  m.compile({optimizer: sgd(0.1), loss: mse, [as]: [metric]});
  return m;
}

describe('Metric.settled in fit', () => {
  it('is awaited once per epoch, before the logs; the logs are those of a metric without it', async () => {
    const {x, y} = linearRows(16);
    const {metric, calls} = checkedMae([]);
    const [xs, ys] = [tf.tensor2d(x), tf.tensor2d(y)];
    const withCheck = await model(metric).fit(xs, ys, {epochs: 3, batchSize: 4, shuffle: false, verbose: 0});
    const without = await model(mae).fit(xs, ys, {epochs: 3, batchSize: 4, shuffle: false, verbose: 0});
    expect(calls).toEqual([0, 1, 2]);
    expect(withCheck.history).toEqual(without.history);
    tf.dispose([xs, ys]);
  });

  it('is awaited for a metric compile wraps (a weighted metric)', async () => {
    const {x, y} = linearRows(16);
    const {metric, calls} = checkedMae([]);
    const [xs, ys] = [tf.tensor2d(x), tf.tensor2d(y)];
    await model(metric, 'weightedMetrics').fit(xs, ys, {epochs: 2, batchSize: 4, verbose: 0});
    expect(calls).toEqual([0, 1]);
    tf.dispose([xs, ys]);
  });

  it("rejects the fit with the metric's failure at the end of that epoch, leaking no tensor", async () => {
    const {x, y} = linearRows(16);
    const {metric, calls} = checkedMae([1]);
    const [xs, ys] = [tf.tensor2d(x), tf.tensor2d(y)];
    const m = model(metric);
    const epochsEnded: number[] = [];
    const before = tf.memory().numTensors;
    const error = await m
      .fit(xs, ys, {
        epochs: 3,
        batchSize: 4,
        verbose: 0,
        callbacks: [{name: 'ends', onEpochEnd: (ctx) => void epochsEnded.push(ctx.epoch)}],
      })
      .catch((e: unknown) => e);
    expect(DataError.is(error)).toBe(true);
    expect((error as Error).message).toBe('check 1 failed');
    expect(calls).toEqual([0, 1]);
    expect(epochsEnded).toEqual([0]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([xs, ys]);
  });
});

describe('Metric.settled outside fit', () => {
  it('evaluate, trainOnBatch and testOnBatch await it once each, and return what a metric without it gives', async () => {
    const {x, y} = linearRows(8);
    const [xs, ys] = [tf.tensor2d(x), tf.tensor2d(y)];
    const {metric, calls} = checkedMae([]);
    const checked = model(metric);
    const plain = model(mae);
    expect(await checked.evaluate(xs, ys, {batchSize: 4})).toEqual(await plain.evaluate(xs, ys, {batchSize: 4}));
    expect(calls).toEqual([0]);
    expect(await checked.testOnBatch(xs, ys)).toEqual(await plain.testOnBatch(xs, ys));
    expect(await checked.trainOnBatch(xs, ys)).toEqual(await plain.trainOnBatch(xs, ys));
    expect(calls).toEqual([0, 1, 2]);
    tf.dispose([xs, ys]);
  });

  it("evaluate, trainOnBatch and testOnBatch reject with the metric's failure, leaking no tensor", async () => {
    const {x, y} = linearRows(8);
    const [xs, ys] = [tf.tensor2d(x), tf.tensor2d(y)];
    const {metric} = checkedMae([0, 1, 2]);
    const m = model(metric);
    const before = tf.memory().numTensors;
    for (const [call, run] of [
      [0, () => m.evaluate(xs, ys, {batchSize: 4})],
      [1, () => m.testOnBatch(xs, ys)],
      [2, () => m.trainOnBatch(xs, ys)],
    ] as const) {
      const error = await run().catch((e: unknown) => e);
      expect(DataError.is(error)).toBe(true);
      expect((error as Error).message).toBe(`check ${call} failed`);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([xs, ys]);
  });

  it("fit's validation pass awaits it too, and its failure stops fit at that epoch's end with no leak", async () => {
    const {x, y} = linearRows(16);
    const [xs, ys] = [tf.tensor2d(x), tf.tensor2d(y)];
    const {metric, calls} = checkedMae([]);
    await model(metric).fit(xs, ys, {epochs: 2, batchSize: 4, validationSplit: 0.25, verbose: 0});
    expect(calls).toEqual([0, 1, 2, 3]);
    const failing = checkedMae([1]);
    const m = model(failing.metric);
    const before = tf.memory().numTensors;
    const error = await m.fit(xs, ys, {epochs: 2, batchSize: 4, validationSplit: 0.25, verbose: 0}).catch((e: unknown) => e);
    expect((error as Error).message).toBe('check 1 failed');
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([xs, ys]);
  });
});
