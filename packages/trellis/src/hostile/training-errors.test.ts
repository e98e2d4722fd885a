// Failures during training: a learning-rate schedule that goes negative or
// NaN, a layer or loss that throws in the forward pass, and divergence.
// Errors propagate unchanged, the weights stay as after the last finished
// step, and nothing leaks, however often it happens.
import * as tf from '@tensorflow/tfjs-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ConfigError, Sequential, adam, dense, meanSquaredError, setSeed, sgd, type Layer, type Loss, type Schedule} from '../index';
import {withSpec} from '@trellis/core';
import {describeError, expectRefused} from './expect-refused';
import {regressor, samples, setUp, weightValues} from './fixtures';

let x: tf.Tensor2D;
let targets: tf.Tensor2D;

beforeAll(async () => {
  await setUp();
  ({x, targets} = samples(20));
});
afterAll(() => tf.dispose([x, targets]));

describe('a schedule returning an invalid learning rate', {timeout: 10_000}, () => {
  const constant = (value: number) => withSpec({id: 'test/constant', config: {value}}, (() => value) as unknown as Schedule);

  it.each([
    [-0.01, '-0.01'],
    [NaN, 'NaN'],
    [-Infinity, '-Infinity'],
  ])('always %s: fit rejects with a ConfigError naming step 0 and the value; weights unchanged', async (value, shown) => {
    const model = regressor('sched');
    model.compile({optimizer: adam({learningRate: 0.01}), loss: meanSquaredError()}); // the slots exist before measuring
    const before = weightValues(model);
    try {
      const error = await expectRefused(
        async () => {
          model.compile({optimizer: adam({learningRate: constant(value)}), loss: meanSquaredError()});
          await model.fit(x, targets, {epochs: 1, batchSize: 5});
        },
        ConfigError,
        shown,
      );
      expect(error.message).toMatch(/\bstep\b\D{0,12}\b0\b/);
      expect(weightValues(model)).toEqual(before);
    } finally {
      model.dispose();
    }
  });

  it('negative from step 3 on: fit rejects naming step 3 and -0.01; the weights are those after step 2', async () => {
    const model = regressor('sched_late');
    const late = withSpec({id: 'test/late', config: {}}, ((step: number) => (step < 3 ? 0.01 : -0.01)) as Schedule);
    model.compile({optimizer: adam({learningRate: late}), loss: meanSquaredError()});
    let afterThree: Record<string, number[]> = {};
    try {
      const error = await expectRefused(
        () =>
          model.fit(x, targets, {
            epochs: 2,
            batchSize: 5,
            shuffle: false,
            callbacks: [{name: 'snapshot', onBatchEnd: (c) => void (c.step === 3 && (afterThree = weightValues(model)))}],
          }),
        ConfigError,
        '-0.01',
      );
      expect(error.message).toMatch(/\bstep\b\D{0,12}\b3\b/);
      expect(weightValues(model)).toEqual(afterThree);
    } finally {
      model.dispose();
    }
  });
});

/** A layer (identity) that throws `error` on the call numbered `at` (counted from 1) of each run; `reset()` starts a run. */
function throwingLayer(error: Error, at: number, when: 'always' | 'inference' = 'always') {
  let calls = 0;
  const layer: Layer & {reset(): void} = {
    name: 'boom',
    spec: {id: 'test/boom', config: {}},
    build: (shape) => [...shape],
    computeOutputShape: (shape) => [...shape],
    call(input, context) {
      const doubled = tf.mul(input, 2); // an intermediate the caller's tidy must free
      if ((when === 'always' || !context.training) && ++calls === at) throw error;
      return tf.div(doubled, 2);
    },
    reset() {
      calls = 0;
    },
  };
  return layer;
}

/** Mean squared error that throws `error` on its call numbered `at` of each run. */
function throwingLoss(error: Error, at: number) {
  let calls = 0;
  const fn = (yTrue: tf.Tensor, yPred: tf.Tensor) => {
    const diff = tf.sub(yTrue, yPred);
    if (++calls === at) throw error;
    return tf.mean(tf.square(diff), -1) as tf.Tensor1D;
  };
  const loss = withSpec({id: 'test/boomLoss', config: {}}, fn, {name: 'boom_loss', targetKind: 'regression' as const, fromLogits: false});
  return Object.assign(loss as unknown as Loss, {reset: () => void (calls = 0)});
}

/**
 * Runs `attempt` three times (after `reset`), each time expecting a rejection
 * with `thrown` itself, and the tensor count back to what it was before the
 * first attempt (no growth).
 */
async function rejectsThriceWithoutLeaks(attempt: () => Promise<unknown> | unknown, thrown: Error, reset: () => void): Promise<void> {
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  for (let run = 0; run < 3; run++) {
    reset();
    let error: unknown;
    try {
      await attempt();
    } catch (e) {
      error = e;
    }
    expect(
      error === thrown || (error as Error | undefined)?.cause === thrown,
      `run ${run + 1}: expected the original error, got ${error === undefined ? 'no error' : describeError(error)}`,
    ).toBe(true);
    counts.push(tf.memory().numTensors);
  }
  expect(counts, `tensor counts after each run (before: ${before})`).toEqual([before, before, before]);
}

describe('an error thrown inside the forward pass', {timeout: 20_000}, () => {
  function withLayer(layer: Layer) {
    setSeed(9);
    const model = new Sequential([dense({units: 4, activation: 'tanh', inputShape: [3]}), layer, dense({units: 1})], {name: 'fragile'});
    model.compile({optimizer: adam({learningRate: 0.01}), loss: meanSquaredError()});
    return model;
  }

  it('a layer throwing in its 2nd call during fit: the original error, the weights of the 1st step, no leak (3 times)', async () => {
    const boom = new Error('layer exploded');
    const layer = throwingLayer(boom, 2);
    const model = withLayer(layer);
    let afterFirst: Record<string, number[]> = {};
    try {
      await rejectsThriceWithoutLeaks(
        () =>
          model.fit(x, targets, {
            epochs: 1,
            batchSize: 5,
            callbacks: [{name: 'snap', onBatchEnd: () => void (afterFirst = weightValues(model))}],
          }),
        boom,
        layer.reset,
      );
      expect(weightValues(model)).toEqual(afterFirst);
    } finally {
      model.dispose();
    }
  });

  it.each([
    ['during evaluate', 'layer exploded in evaluate', 3, 'always', (m: Sequential) => m.evaluate(x, targets, {batchSize: 5})],
    ['during predict', 'layer exploded in predict', 2, 'always', (m: Sequential) => m.predict(x, {batchSize: 5})],
    [
      'only in inference, during fit validation',
      'layer exploded in validation',
      2,
      'inference',
      (m: Sequential) => m.fit(x, targets, {epochs: 2, batchSize: 5, validationSplit: 0.5}),
    ],
  ] as const)('a layer throwing %s: the original error, no leak (3 times)', async (_, message, at, mode, run) => {
    const boom = new Error(message);
    const layer = throwingLayer(boom, at, mode);
    const model = withLayer(layer);
    try {
      await rejectsThriceWithoutLeaks(() => run(model), boom, layer.reset);
    } finally {
      model.dispose();
    }
  });

  it('a layer throwing during fitDataset: the original error, no leak (3 times)', async () => {
    const boom = new Error('layer exploded in fitDataset');
    const layer = throwingLayer(boom, 2);
    const model = withLayer(layer);
    const parts = [0, 5, 10, 15].map((s) => ({x: tf.slice(x, s, 5), y: tf.slice(targets, s, 5)}));
    try {
      await rejectsThriceWithoutLeaks(() => model.fitDataset(parts, {epochs: 1, keepBatches: true}), boom, layer.reset);
    } finally {
      tf.dispose(parts.flatMap((p) => [p.x, p.y]));
      model.dispose();
    }
  });

  it.each([
    ['fit', 'loss exploded', 'lossy', (m: Sequential) => m.fit(x, targets, {epochs: 1, batchSize: 5})],
    ['evaluate', 'loss exploded in evaluate', 'lossy_eval', (m: Sequential) => m.evaluate(x, targets, {batchSize: 5})],
  ] as const)('a loss throwing during %s: the original error, no leak (3 times)', async (_, message, name, run) => {
    const boom = new Error(message);
    const loss = throwingLoss(boom, 2);
    const model = regressor(name);
    model.compile({optimizer: adam({learningRate: 0.01}), loss});
    try {
      await rejectsThriceWithoutLeaks(() => run(model), boom, (loss as unknown as {reset(): void}).reset);
    } finally {
      model.dispose();
    }
  });
});

describe('divergence', {timeout: 10_000}, () => {
  it('training with learning rate 1e10 does not throw, and the epoch logs show loss NaN', async () => {
    const model = regressor('diverge');
    model.compile({optimizer: sgd({learningRate: 1e10}), loss: meanSquaredError()});
    try {
      const history = await model.fit(x, targets, {epochs: 6, batchSize: 5});
      const losses = history.history.loss!;
      expect(losses).toHaveLength(6);
      expect(losses.at(-1)).toBeNaN();
    } finally {
      model.dispose();
    }
  });
});
