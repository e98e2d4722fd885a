// End to end: the callbacks in real fits of a small Sequential model on the cpu backend.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {Sequential, setSeed, type Callback} from '@trellis/core';
import {dense, meanSquaredError} from '@trellis/layers';
import {sgd} from '@trellis/optimizers';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {csvLogger} from './csv-logger';
import {earlyStopping} from './early-stopping';
import {lambdaCallback} from './lambda-callback';
import {learningRateScheduler} from './learning-rate-scheduler';
import {progressBar} from './progress-bar';
import {reduceLROnPlateau} from './reduce-lr-on-plateau';
import {terminateOnNaN} from './terminate-on-nan';

let x: tf.Tensor2D;
let y: tf.Tensor2D;
let xVal: tf.Tensor2D;
let yVal: tf.Tensor2D;

beforeAll(async () => {
  await tf.setBackend('cpu');
  // y = x · w + noise; the validation targets are offset so that val_loss soon stops improving.
  const rows = (n: number, seed: number) => Array.from({length: n}, (_, i) => [Math.sin(i * 1.3 + seed), Math.cos(i * 0.7 + seed)]);
  x = tf.tensor2d(rows(32, 0));
  y = tf.tidy(() => tf.add(tf.matMul(x, tf.tensor2d([[2], [-1]])), 0.5)) as tf.Tensor2D;
  xVal = tf.tensor2d(rows(16, 5));
  yVal = tf.tidy(() => tf.add(tf.matMul(xVal, tf.tensor2d([[1.5], [-0.5]])), 0.2)) as tf.Tensor2D;
});

afterAll(() => tf.dispose([x, y, xVal, yVal]));

function model(learningRate = 0.1) {
  setSeed(1);
  const m = new Sequential([dense({units: 4, activation: 'tanh', inputShape: [2]}), dense({units: 1})]);
  m.compile({optimizer: sgd({learningRate}), loss: meanSquaredError()});
  return m;
}

/** Each epoch's weights, read at its end (a copy per epoch, as arrays). */
function weightRecorder(): Callback & {readonly epochs: Record<string, number[]>[]} {
  const epochs: Record<string, number[]>[] = [];
  return {
    name: 'weights',
    order: -1,
    epochs,
    onEpochEnd(context) {
      const w = context.model.getWeights();
      epochs.push(Object.fromEntries(Object.entries(w).map(([k, t]) => [k, Array.from(t.dataSync())])));
      tf.dispose(Object.values(w));
    },
  };
}

function currentWeights(m: Sequential): Record<string, number[]> {
  const w = m.getWeights();
  const out = Object.fromEntries(Object.entries(w).map(([k, t]) => [k, Array.from(t.dataSync())]));
  tf.dispose(Object.values(w));
  return out;
}

describe('in a real fit', () => {
  it("earlyStopping stops, sets the stop reason, and restores the best epoch's weights", async () => {
    const m = model(0.3);
    const stopper = earlyStopping({patience: 2, restoreBestWeights: true, print: () => undefined});
    const recorder = weightRecorder();
    const history = await m.fit(x, y, {epochs: 60, batchSize: 8, validationData: [xVal, yVal], callbacks: [recorder, stopper]});
    const losses = history.history.val_loss!;
    expect(stopper.stoppedEpoch).toBeGreaterThan(0);
    expect(history.epoch.length).toBe(stopper.stoppedEpoch + 1);
    const best = losses.indexOf(Math.min(...losses));
    expect(stopper.bestEpoch).toBe(best);
    expect(history.stopReason).toMatch(/^earlyStopping: val_loss did not improve/);
    expect(currentWeights(m)).toEqual(recorder.epochs[best]);
    m.dispose();
  });

  it('restoreBestWeights leaks nothing: the tensor count is flat across epochs and back to start after the fit', async () => {
    const m = model(0.05);
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    await m.fit(x, y, {
      epochs: 8,
      batchSize: 8,
      validationData: [xVal, yVal],
      callbacks: [
        earlyStopping({patience: 100, restoreBestWeights: true, monitor: 'val_loss'}),
        lambdaCallback({onEpochEnd: () => void counts.push(tf.memory().numTensors)}),
      ],
    });
    expect(counts).toHaveLength(8);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });

  it("reduceLROnPlateau lowers the optimizer's rate and logs learning_rate in the History", async () => {
    const m = model(0.3);
    const history = await m.fit(x, y, {
      epochs: 12,
      batchSize: 8,
      validationData: [xVal, yVal],
      callbacks: [reduceLROnPlateau({patience: 1, factor: 0.5, print: () => undefined})],
    });
    const rates = history.history.learning_rate!;
    expect(rates).toHaveLength(12);
    expect(rates[0]).toBe(Math.fround(0.3));
    expect(rates.some((r) => r < Math.fround(0.3))).toBe(true);
    for (let i = 1; i < rates.length; i++) expect([rates[i - 1], Math.fround(rates[i - 1]! * 0.5)]).toContain(rates[i]);
    expect(Math.fround(m.optimizer.learningRate!)).toBeLessThanOrEqual(rates.at(-1)!);
    m.dispose();
  });

  it("learningRateScheduler sets each epoch's rate before its first step", async () => {
    const m = model(0.1);
    const seen: number[] = [];
    const history = await m.fit(x, y, {
      epochs: 3,
      batchSize: 16,
      callbacks: [
        learningRateScheduler((epoch) => 0.1 / 10 ** epoch),
        lambdaCallback({onBatchStart: (c) => void seen.push(c.learningRate!)}),
      ],
    });
    expect(seen).toEqual([0.1, 0.1, 0.01, 0.01, 0.001, 0.001]);
    expect(history.history.learning_rate).toEqual([0.1, 0.01, 0.001].map(Math.fround));
    m.dispose();
  });

  it('terminateOnNaN stops at the batch where the loss diverges', async () => {
    const m = model(1e6);
    const messages: string[] = [];
    const big = tf.mul(y, 1e6);
    const history = await m.fit(x, big, {epochs: 5, batchSize: 4, callbacks: [terminateOnNaN({print: (t) => messages.push(t)})]});
    expect(history.epoch).toEqual([0]);
    expect(messages).toHaveLength(1);
    expect(history.stopReason).toMatch(/^terminateOnNaN: the loss was (nan|inf)/);
    big.dispose();
    m.dispose();
  });

  it('csvLogger and progressBar write what the fit logged', async () => {
    const m = model(0.1);
    const lines: string[] = [];
    let text = '';
    const history = await m.fit(x, y, {
      epochs: 2,
      batchSize: 8,
      validationData: [xVal, yVal],
      callbacks: [csvLogger({sink: (l) => lines.push(l)}), progressBar({stream: {write: (t: string) => void (text += t)}})],
    });
    expect(lines[0]).toBe('epoch,loss,val_loss');
    expect(lines.slice(1).map((l) => Number(l.split(',')[1]))).toEqual(history.history.loss);
    expect(text.split('\n').filter(Boolean)).toHaveLength(2);
    expect(text).toMatch(/^Epoch 1\/2 4\/4 /);
    m.dispose();
  });
});
