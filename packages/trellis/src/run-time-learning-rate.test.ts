// optimizer.setLearningRate (what ReduceLROnPlateau and LearningRateScheduler
// use), context.setLog, and metrics with several values in the logs.
import * as tf from '@tensorflow/tfjs-core';
import {describe, expect, it} from 'vitest';
import {onCpu} from '../test/cpu';
import {
  ConfigError,
  Sequential,
  StateError,
  adam,
  dense,
  initializers,
  meanSquaredError,
  optimizers,
  sgd,
  type Callback,
  type Metric,
  type Schedule,
} from './index';
import {StatefulOptimizer, withSpec} from '@trellis/core';

onCpu();

function data() {
  return {
    x: tf.tensor2d([
      [1, 2],
      [3, -1],
      [0.5, 0.5],
      [-2, 1],
    ]),
    y: tf.tensor2d([[1], [0], [2], [-1]]),
  };
}

/** A model with fixed weights, so two runs start equal. */
function model(optimizer: ReturnType<typeof sgd> | ReturnType<typeof adam> | ReturnType<typeof optimizers.adamw>): Sequential {
  const m = new Sequential([
    dense({units: 1, inputShape: [2], kernelInitializer: initializers.ones(), biasInitializer: initializers.zeros()}),
  ]);
  m.compile({optimizer, loss: meanSquaredError()});
  return m;
}

async function weightsAfter(m: Sequential, callbacks: Callback[], epochs = 3): Promise<number[]> {
  const {x, y} = data();
  await m.fit(x, y, {epochs, batchSize: 4, callbacks});
  const w = m.getWeights();
  const values = Object.keys(w)
    .sort()
    .flatMap((k) => Array.from(w[k]!.dataSync()));
  tf.dispose([x, y, ...Object.values(w)]);
  m.dispose();
  return values;
}

/** Sets the rate at the start of each epoch from a table. */
function rateTable(rates: readonly number[]): Callback {
  return {name: 'rates', onEpochStart: (c) => c.model.optimizer.setLearningRate(rates[c.epoch]!)};
}

describe('optimizer.setLearningRate', () => {
  it('sgd: setting 0.05 at every epoch trains exactly as sgd({learningRate: 0.05})', async () => {
    const set = await weightsAfter(model(sgd({learningRate: 0.3})), [rateTable([0.05, 0.05, 0.05])]);
    const built = await weightsAfter(model(sgd({learningRate: 0.05})), []);
    expect(set).toEqual(built);
  });

  it('adam and adamw (decoupled weight decay uses the rate too): a changed rate matches an oracle run epoch by epoch', async () => {
    for (const make of [(lr: number) => adam({learningRate: lr}), (lr: number) => optimizers.adamw({learningRate: lr, weightDecay: 0.1})]) {
      // Oracle: the same optimizer, rebuilt at each epoch with that epoch's rate, its state carried over.
      const rates = [0.01, 0.004, 0.001];
      const set = await weightsAfter(model(make(0.01)), [rateTable(rates)]);
      const oracle = model(make(rates[0]!));
      const {x, y} = data();
      for (let epoch = 0; epoch < rates.length; epoch++) {
        const state = oracle.optimizer.getState();
        oracle.compile({optimizer: make(rates[epoch]!), loss: meanSquaredError()});
        oracle.optimizer.setState(state);
        tf.dispose(state.state as tf.TensorContainer);
        await oracle.fit(x, y, {epochs: 1, batchSize: 4});
      }
      const expected = await weightsAfter(oracle, [], 0);
      tf.dispose([x, y]);
      expect(set).toEqual(expected);
    }
  });

  it('scales a schedule: the next rate is the one set, later steps follow the schedule times the same factor', async () => {
    const halving = withSpec({id: 'test/halving', config: {}}, ((step: number) => 0.1 / 2 ** step) as Schedule);
    const m = model(sgd({learningRate: halving}));
    const seen: number[] = [];
    await weightsAfter(m, [
      {name: 'set', onEpochStart: (c) => (c.epoch === 1 ? c.model.optimizer.setLearningRate(0.5) : undefined)},
      {name: 'watch', onBatchStart: (c) => void seen.push(c.learningRate!)},
    ]);
    expect(seen[0]).toBe(0.1);
    expect(seen[1]).toBe(0.5);
    expect(seen[2]).toBeCloseTo(0.25, 15);
  });

  it('the factor is part of getState/setState, so a restored optimizer goes on at the set rate', () => {
    const a = new StatefulOptimizer(sgd({learningRate: 0.1}));
    const v = tf.variable(tf.ones([2]), true, 'w');
    a.init({w: v});
    a.setLearningRate(0.02);
    const saved = a.getState();
    expect(saved.learningRateScale).toBeCloseTo(0.2, 15);
    const b = new StatefulOptimizer(sgd({learningRate: 0.1}));
    b.init({w: v});
    b.setState(saved);
    expect(b.learningRate).toBeCloseTo(0.02, 15);
    tf.dispose(saved.state as tf.TensorContainer);
    a.dispose();
    b.dispose();
    v.dispose();
  });

  it('refuses bad rates, a transform without a rate, and a schedule at 0', () => {
    const opt = new StatefulOptimizer(sgd({learningRate: 0.1}));
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '0.1' as unknown as number]) {
      expect(() => opt.setLearningRate(bad)).toThrow(ConfigError);
    }
    const bare = new StatefulOptimizer({init: () => ({}), update: (g) => ({updates: g, state: {}})});
    expect(() => bare.setLearningRate(0.1)).toThrow(/no learning rate to set/);
    const warmup = withSpec({id: 'test/warmup', config: {}}, ((step: number) => step * 0.01) as Schedule);
    const w = new StatefulOptimizer(sgd({learningRate: warmup}));
    expect(() => w.setLearningRate(0.1)).toThrow(StateError);
    expect(opt.learningRate).toBe(0.1);
  });
});

describe('context.setLog', () => {
  it('adds a key to the epoch logs that later callbacks and the History see; elsewhere it throws', async () => {
    const m = model(sgd({learningRate: 0.1}));
    const later: number[] = [];
    let outside: unknown;
    const {x, y} = data();
    const history = await m.fit(x, y, {
      epochs: 2,
      batchSize: 4,
      callbacks: [
        {name: 'writer', onEpochEnd: (c) => c.setLog('learning_rate', c.learningRate! * 10)},
        {name: 'reader', onEpochEnd: async (c) => void later.push((await c.readLogs(['learning_rate'])).learning_rate!)},
        {
          name: 'outside',
          onBatchEnd: (c) => {
            try {
              c.setLog('x', 1);
            } catch (error) {
              outside = error;
            }
          },
        },
      ],
    });
    expect(later).toEqual([1, 1]);
    expect(history.history.learning_rate).toEqual([1, 1]);
    expect(outside).toBeInstanceOf(StateError);
    tf.dispose([x, y]);
    m.dispose();
  });
});

describe('metrics with several values', () => {
  it('a rank-1 result is logged as name_0, name_1; a rank-2 result stays out of the logs; nothing leaks', async () => {
    const perColumn: Metric = {
      name: 'col_mean',
      spec: {id: 'test/colMean', config: {}},
      init: () => ({sum: tf.zeros([2]), n: tf.scalar(0)}),
      update: (s, _yTrue, yPred) =>
        tf.tidy(() => ({
          sum: tf.add((s as {sum: tf.Tensor}).sum, tf.sum(tf.concat([yPred, tf.mul(yPred, 2)], 1), 0)),
          n: tf.add((s as {n: tf.Tensor}).n, yPred.shape[0]!),
        })),
      result: (s) => tf.div((s as {sum: tf.Tensor}).sum, (s as {n: tf.Tensor}).n),
    };
    const matrix: Metric = {
      name: 'matrix',
      spec: {id: 'test/matrix', config: {}},
      init: () => ({m: tf.zeros([2, 2])}),
      update: (s) => ({m: tf.add((s as {m: tf.Tensor}).m, 1)}),
      result: (s) => tf.clone((s as {m: tf.Tensor}).m),
    };
    const m = new Sequential([
      dense({units: 1, inputShape: [2], kernelInitializer: initializers.ones(), biasInitializer: initializers.zeros()}),
    ]);
    m.compile({optimizer: sgd({learningRate: 1e-12}), loss: meanSquaredError(), metrics: [perColumn, matrix]});
    const {x, y} = data();
    const before = tf.memory().numTensors;
    const history = await m.fit(x, y, {epochs: 2, batchSize: 4, validationData: [x, y]});
    expect(tf.memory().numTensors).toBe(before);
    // Predictions with ones weights: 3, 2, 1, -1 → mean 1.25; doubled 2.5.
    expect(history.history.col_mean_0).toEqual([1.25, 1.25]);
    expect(history.history.col_mean_1).toEqual([2.5, 2.5]);
    expect(history.history.val_col_mean_1).toEqual([2.5, 2.5]);
    expect(Object.keys(history.history).some((k) => k.startsWith('matrix'))).toBe(false);
    const evaluated = await m.evaluate(x, y);
    expect(evaluated).toMatchObject({col_mean_0: 1.25, col_mean_1: 2.5});
    tf.dispose([x, y]);
    m.dispose();
  });
});
