import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {beforeAll, describe, expect, it} from 'vitest';
import {mse, sgd, testDense} from '../../test/fixtures';
import {ConfigError, DataError, Sequential, ShapeError, createTrainStep, setSeed} from '../index';
import type {GradientTransform} from '../index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function data(n: number) {
  return tf.tidy(() => {
    const x = tf.randomUniform([n, 4], -1, 1, 'float32', 3);
    const y = tf.sum(tf.mul(x, tf.tensor1d([0.5, -1, 2, 0.25])), 1, true);
    return {x, y};
  });
}

function model(seed: number, compile = true, optimizer: GradientTransform = sgd(0.05)) {
  setSeed(seed);
  const first = testDense(8, {inputShape: [4], relu: true, dropout: 0.25});
  const m = new Sequential([first, testDense(1)]);
  if (compile) m.compile({optimizer, loss: mse});
  return Object.assign(m, {first});
}

/** SGD with momentum: state (one velocity per weight, keyed by name) that must carry across steps. */
function momentum(learningRate: number): GradientTransform {
  return {
    init: (params) => Object.fromEntries(Object.entries(params).map(([k, v]) => [k, tf.zerosLike(v)])),
    update: (grads, state) => {
      const velocity = state as Record<string, tf.Tensor>;
      const next = Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.add(tf.mul(velocity[k]!, 0.9), g)]));
      return {
        updates: Object.fromEntries(Object.entries(next).map(([k, v]) => [k, tf.mul(v, -learningRate)])),
        state: {...velocity, ...next},
      };
    },
  };
}

const values = (ws: Record<string, tf.Tensor>) => Object.fromEntries(Object.entries(ws).map(([k, t]) => [k, Array.from(t.dataSync())]));

/** The weights after `epochs` passes of `createTrainStep` over `(x, y)` in batches of 16. */
function stepThrough(
  step: (xb: tf.Tensor, yb: tf.Tensor, wb?: tf.Tensor) => tf.Scalar,
  x: tf.Tensor,
  y: tf.Tensor,
  epochs: number,
  w?: tf.Tensor,
  onEpochEnd?: (epoch: number) => void,
) {
  const n = x.shape[0]!;
  const losses: tf.Scalar[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    if (epoch > 0) onEpochEnd?.(epoch - 1);
    for (let start = 0; start < n; start += 16) {
      const size = Math.min(16, n - start);
      const xb = tf.slice(x, start, size);
      const yb = tf.slice(y, start, size);
      const wb = w ? tf.slice(w, start, size) : undefined;
      losses.push(step(xb, yb, wb));
      tf.dispose([xb, yb, wb!].filter(Boolean));
    }
  }
  return losses;
}

describe('createTrainStep', () => {
  it('gives bit-identical weights to fit with the same batches (dropout, optimizer state, freezing), leaking nothing', async () => {
    const {x, y} = data(50);
    const fitted = model(11, true, momentum(0.05));
    // The first layer is frozen after the first epoch, in both runs.
    const freeze = (m: ReturnType<typeof model>) => (epoch: number) => {
      if (epoch === 0) m.first.trainable = false;
    };
    const history = await fitted.fit(x, y, {
      epochs: 3,
      batchSize: 16,
      shuffle: false,
      callbacks: [{name: 'freeze', onEpochEnd: (context) => freeze(fitted)(context.epoch)}],
    });

    const stepped = model(11, true, momentum(0.05));
    const before = tf.memory().numTensors;
    const step = createTrainStep({model: stepped});
    const losses = stepThrough((xb, yb) => step(xb, yb), x, y, 3, undefined, freeze(stepped));
    expect(tf.memory().numTensors).toBe(before + losses.length);
    expect(losses.every((l) => l.rank === 0 && l.dtype === 'float32')).toBe(true);
    // fit's epoch loss is the sample-weighted mean of its batch losses.
    const sizes = [16, 16, 16, 2];
    const perBatch = losses.map((l) => l.dataSync()[0]!);
    const epochLoss = (e: number) => sizes.reduce((s, size, i) => s + perBatch[e * 4 + i]! * size, 0) / 50;
    for (let e = 0; e < 3; e++) expect(epochLoss(e)).toBeCloseTo(history.history.loss![e]!, 6);
    tf.dispose(losses);
    expect(tf.memory().numTensors).toBe(before);

    const [a, b] = [fitted.getWeights(), stepped.getWeights()];
    expect(values(b)).toEqual(values(a));
    expect(stepped.optimizer.step).toBe(fitted.optimizer.step);
    tf.dispose([x, y, a, b]);
    fitted.dispose();
    stepped.dispose();
  });

  it('matches fit with sample weights, and an uncompiled model given loss and optimizer matches a compiled one', async () => {
    const {x, y} = data(40);
    const w = tf.linspace(0, 2, 40);
    const fitted = model(5);
    await fitted.fit(x, y, {epochs: 2, batchSize: 16, shuffle: false, sampleWeight: w});

    const bare = model(5, false);
    const step = createTrainStep({model: bare, loss: mse, optimizer: sgd(0.05)});
    const before = tf.memory().numTensors;
    tf.dispose(stepThrough((xb, yb, wb) => step(xb, yb, {sampleWeight: wb}), x, y, 2, w));
    const [a, b] = [fitted.getWeights(), bare.getWeights()];
    expect(values(b)).toEqual(values(a));
    tf.dispose([a, b]);
    step.dispose();
    expect(step.optimizer.initialized).toBe(false);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
    tf.dispose([x, y, w]);
    fitted.dispose();
    bare.dispose();
  });

  it('run() performs one step and reads the loss back, equal to the device loss, leaving no tensor', async () => {
    const {x, y} = data(16);
    const m1 = model(3);
    const s1 = createTrainStep({model: m1});
    const m2 = model(3);
    const s2 = createTrainStep({model: m2});
    const device = s1(x, y);
    const before = tf.memory().numTensors;
    const {loss} = await s2.run(x, y);
    expect(tf.memory().numTensors).toBe(before);
    expect(loss).toBe(device.dataSync()[0]);
    const [a, b] = [m1.getWeights(), m2.getWeights()];
    expect(values(b)).toEqual(values(a));
    tf.dispose([x, y, device, a, b]);
    m1.dispose();
    m2.dispose();
  });

  it('builds an unbuilt model from the first batch and accepts nested arrays', async () => {
    setSeed(1);
    const m = new Sequential([testDense(2)]);
    const step = createTrainStep({model: m, loss: mse, optimizer: sgd(0.1)});
    const {loss} = await step.run([[1, 2, 3]], [[0, 1]]);
    expect(m.inputShape).toEqual([3]);
    expect(Number.isFinite(loss)).toBe(true);
    const before = tf.memory().numTensors;
    const scalar = step([[1, 2, 3]], [[0, 1]], {sampleWeight: [2]});
    scalar.dispose();
    expect(tf.memory().numTensors).toBe(before);
    step.dispose();
    m.dispose();
  });

  it('names what is missing without compile, and throws typed errors for bad calls, leaking nothing', async () => {
    const bare = model(2, false);
    expect(() => createTrainStep({model: bare})).toThrow(/'loss' and 'optimizer' must be given/);
    expect(() => createTrainStep({model: bare, loss: mse})).toThrow(ConfigError);
    expect(() => createTrainStep({model: bare, loss: mse})).toThrow(/'optimizer' must be given/);
    expect(() => createTrainStep({model: bare, optimizer: sgd(0.1)})).toThrow(/'loss' must be given/);
    expect(() => createTrainStep({model: {} as never})).toThrow(ConfigError);
    expect(() => createTrainStep({model: bare, loss: 42 as never, optimizer: sgd(0.1)})).toThrow(ConfigError);
    bare.dispose();

    const m = model(2);
    const step = createTrainStep({model: m});
    const {x, y} = data(8);
    const [y7, x3] = [tf.zeros([7, 1]), tf.zeros([8, 3])];
    const before = tf.memory().numTensors;
    expect(() => step(x, y7)).toThrow(ShapeError);
    expect(() => step(x3, y)).toThrow(ShapeError);
    expect(() => step(x, y, {sampleWeight: [1, 2]})).toThrow(ShapeError);
    expect(() => step(x, y, null as never)).toThrow(ConfigError);
    await expect(step.run(x, y, {sampleWeight: [1, 1, 1, -1, 1, 1, 1, 1]})).rejects.toThrow(DataError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([y7, x3]);

    // Not while a fit of the model runs.
    let during: unknown;
    await m.fit(x, y, {
      epochs: 1,
      batchSize: 4,
      callbacks: [
        {
          name: 'stepDuringFit',
          onBatchEnd: () => {
            try {
              step(x, y).dispose();
            } catch (error) {
              during = error;
            }
          },
        },
      ],
    });
    expect(during).toBeInstanceOf(ConfigError);
    expect(String(during)).toMatch(/running fit/);

    const own = createTrainStep({model: m, optimizer: sgd(0.1)});
    own.dispose();
    expect(() => own(x, y)).toThrow(/disposed/);
    tf.dispose([x, y]);
    m.dispose();
  });
});
