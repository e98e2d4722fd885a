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
