// Callbacks and streams on hostile input: endless validation streams (refused
// up front, never read), callbacks that throw (the error propagates as is,
// the weights stay as after the last finished step, nothing leaks) and the
// history of the epochs finished before the failure.
import * as tf from '@tensorflow/tfjs-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ConfigError, type Callback, type DatasetBatch, type History, type Sequential} from '../index';
import {describeError, expectRefused} from './expect-refused';
import {regressor, samples, setUp, weightValues} from './fixtures';

let x: tf.Tensor2D;
let targets: tf.Tensor2D;
let batches: DatasetBatch[];

beforeAll(async () => {
  await setUp();
  ({x, targets} = samples(20));
  batches = [0, 10].map((start) => ({x: tf.slice(x, start, 10), y: tf.slice(targets, start, 10)}));
});
afterAll(() => tf.dispose([x, targets, ...batches.flatMap((b) => [(b as {x: tf.Tensor}).x, (b as {y: tf.Tensor}).y])]));

/** How many batches an endless stream may yield before the test calls it a hang. */
const HANG = 200;
const hangMessage = `the endless validation stream was read ${HANG} times: it was not refused up front`;

describe('fitDataset refuses an endless validation stream up front', {timeout: 10_000}, () => {
  const cases: [string, () => unknown][] = [
    [
      'an async generator',
      () =>
        (async function* () {
          for (let i = 0; ; i++) {
            if (i >= HANG) throw new Error(hangMessage);
            yield batches[0]!;
          }
        })(),
    ],
    [
      'a sync generator',
      () =>
        (function* () {
          for (let i = 0; ; i++) {
            if (i >= HANG) throw new Error(hangMessage);
            yield batches[0]!;
          }
        })(),
    ],
    [
      'a function returning an async generator',
      () =>
        async function* () {
          for (let i = 0; ; i++) {
            if (i >= HANG) throw new Error(hangMessage);
            yield batches[0]!;
          }
        },
    ],
    [
      'an iterable declaring cardinality Infinity',
      () => {
        let i = 0;
        return Object.assign(
          {
            [Symbol.iterator]: () => ({
              next: () => {
                if (i++ >= HANG) throw new Error(hangMessage);
                return {done: false, value: batches[0]!};
              },
            }),
          },
          {cardinality: Infinity},
        );
      },
    ],
  ];

  it.each(cases)('%s as validationData without validationBatches: a ConfigError before any batch is read', async (_, make) => {
    const model = regressor('stream');
    const before = weightValues(model);
    try {
      const validation = make();
      await expectRefused(
        () => model.fitDataset(batches, {epochs: 2, keepBatches: true, validationData: validation as never}),
        ConfigError,
        'validationBatches',
      );
      expect(weightValues(model), 'refused up front: no training step').toEqual(before);
    } finally {
      model.dispose();
    }
  });
});

/**
 * Runs `fn`, expecting it to reject with exactly `thrown` (the same object,
 * or an error caused by it), and no tensor leaked. Returns the rejection.
 */
async function expectRejectsWith(fn: () => Promise<unknown>, thrown: Error): Promise<Error> {
  const before = tf.memory().numTensors;
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  expect(error, 'expected a rejection').toBeDefined();
  expect(error === thrown || (error as Error).cause === thrown, `expected the callback's own error, got ${describeError(error)}`).toBe(
    true,
  );
  expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
  return error as Error;
}

describe('a callback that throws', {timeout: 10_000}, () => {
  let model: Sequential;
  beforeAll(() => {
    model = regressor('cb');
  });
  afterAll(() => model.dispose());

  it('in onBatchEnd of step 3: the same error propagates; the weights are those of the last finished step', async () => {
    const boom = new Error('callback failed');
    let atThrow: Record<string, number[]> = {};
    const thrower: Callback = {
      name: 'thrower',
      onBatchEnd(c) {
        if (c.step === 3) {
          atThrow = weightValues(model);
          throw boom;
        }
      },
    };
    await expectRejectsWith(() => model.fit(x, targets, {epochs: 3, batchSize: 4, callbacks: [thrower]}), boom);
    expect(weightValues(model)).toEqual(atThrow);
  });

  it('in onBatchStart of batch 3: the weights are those after batch 2 (no step after the throw)', async () => {
    const boom = new Error('before step');
    let afterBatch2: Record<string, number[]> = {};
    const thrower: Callback = {
      name: 'thrower',
      onBatchStart(c) {
        if (c.batch === 3) throw boom;
      },
      onBatchEnd(c) {
        if (c.batch === 2) afterBatch2 = weightValues(model);
      },
    };
    await expectRejectsWith(() => model.fit(x, targets, {epochs: 1, batchSize: 4, callbacks: [thrower]}), boom);
    expect(weightValues(model)).toEqual(afterBatch2);
  });

  it('in onFitStart: the weights are unchanged', async () => {
    const boom = new Error('no start');
    const before = weightValues(model);
    await expectRejectsWith(
      () => model.fit(x, targets, {epochs: 2, callbacks: [{name: 'thrower', onFitStart: () => Promise.reject(boom)}]}),
      boom,
    );
    expect(weightValues(model)).toEqual(before);
  });

  it('an async onEpochEnd that rejects: the same error propagates and every onError sees it once', async () => {
    const boom = new Error('async failure');
    const seen: unknown[] = [];
    await expectRejectsWith(
      () =>
        model.fit(x, targets, {
          epochs: 2,
          callbacks: [
            {name: 'thrower', onEpochEnd: async () => Promise.reject(boom)},
            {name: 'watcher', onError: (_, e) => void seen.push(e)},
          ],
        }),
      boom,
    );
    expect(seen).toEqual([boom]);
  });
});

describe('fit that fails in epoch 3', {timeout: 10_000}, () => {
  it('the error carries the history of the finished epochs, and model.history holds it', async () => {
    const model = regressor('epoch3');
    const boom = new Error('stop at epoch index 2');
    const losses: number[] = [];
    const failing: Callback = {
      name: 'fail at epoch 2',
      async onEpochEnd(c) {
        losses.push((await c.readLogs(['loss'])).loss!);
        if (c.epoch === 2) throw boom;
      },
    };
    try {
      const error = await expectRejectsWith(() => model.fit(x, targets, {epochs: 5, batchSize: 5, callbacks: [failing]}), boom);
      const history = (error as Error & {history?: History}).history;
      expect(history, 'error.history').toBeDefined();
      const logged = history!.history.loss!;
      // Epochs 0 and 1 finished; epoch 2 finished its training before its onEpochEnd threw.
      expect([2, 3]).toContain(logged.length);
      expect(logged).toEqual(losses.slice(0, logged.length));
      expect(history!.epoch).toEqual(logged.map((_, i) => i));
      const kept = (model as Sequential & {history?: History | null}).history;
      expect(kept, 'model.history').toBeDefined();
      expect(kept!.history.loss).toEqual(logged);
    } finally {
      model.dispose();
    }
  });
});
