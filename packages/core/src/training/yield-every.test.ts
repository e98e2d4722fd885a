import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {beforeAll, describe, expect, it} from 'vitest';
import {constantInit, mse, sgd, testDense} from '../../test/fixtures';
import {ConfigError, Sequential, type YieldEvery} from '../index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function linearModel() {
  const model = new Sequential([testDense(1, {inputShape: [3], init: constantInit(0.1)})]);
  model.compile({optimizer: sgd(0.01), loss: mse});
  return model;
}

/** The batch count at which a timer scheduled just before `fit` fired (null: after fit returned). */
async function timerFiredAt(yieldEvery: YieldEvery | undefined, batches: number, busyMs = 0): Promise<number | null> {
  const x = tf.randomUniform([batches, 3], -1, 1, 'float32', 1);
  const y = tf.randomUniform([batches, 1], -1, 1, 'float32', 2);
  const model = linearModel();
  let done = 0;
  let firedAt: number | null = null;
  let finished = false;
  setTimeout(() => {
    if (!finished) firedAt = done;
  }, 0);
  const counter = {
    name: 'countBatches',
    onBatchEnd: () => {
      // A slow batch: the loop itself never gives the event loop a turn.
      const until = performance.now() + busyMs;
      while (performance.now() < until);
      done++;
    },
  };
  await model.fit(x, y, {epochs: 1, batchSize: 1, shuffle: false, callbacks: [counter], ...(yieldEvery === undefined ? {} : {yieldEvery})});
  finished = true;
  tf.dispose([x, y]);
  model.dispose();
  return firedAt;
}

describe('fit yieldEvery', () => {
  it("'batch' lets a timer scheduled before fit run during the fit", async () => {
    const firedAt = await timerFiredAt('batch', 50, 2);
    expect(firedAt).not.toBeNull();
    expect(firedAt!).toBeGreaterThanOrEqual(1);
    expect(firedAt!).toBeLessThan(50);
  });

  it("'never' runs the whole epoch without letting the timer run", async () => {
    const firedAt = await timerFiredAt('never', 50, 2);
    expect(firedAt === null || firedAt === 50).toBe(true);
  });

  it("'epoch' yields only once the epoch's batches are done", async () => {
    expect(await timerFiredAt('epoch', 50)).toBe(50);
  });

  it("0 ms yields after every batch; the default 'auto' yields within a long epoch", async () => {
    const everyBatch = await timerFiredAt(0, 20, 2);
    expect(everyBatch).not.toBeNull();
    expect(everyBatch!).toBeLessThan(20);
    // 150 batches of at least 2 ms: 'auto' yields once 125 ms have passed, so by batch 63.
    const firedAt = await timerFiredAt(undefined, 150, 2);
    expect(firedAt).not.toBeNull();
    expect(firedAt!).toBeGreaterThan(1);
    expect(firedAt!).toBeLessThanOrEqual(64);
  });

  it('rejects a bad yieldEvery with a ConfigError', async () => {
    const model = linearModel();
    for (const bad of ['sometimes', -1, Number.NaN, null]) {
      await expect(model.fit([[1, 2, 3]], [[1]], {yieldEvery: bad as never})).rejects.toThrow(ConfigError);
    }
    await expect(model.fit([[1, 2, 3]], [[1]], {yieldEvery: 'often' as never})).rejects.toThrow(/yieldEvery must be 'auto'/);
    model.dispose();
  });
});
