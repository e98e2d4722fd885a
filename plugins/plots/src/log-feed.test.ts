// logFeed in real fits on the cpu backend: the events a page receives, checked against the
// fit's History and the gradient monitor's records; no tensor left behind.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {gradientMonitor} from '@trellis/callbacks';
import {Sequential, setSeed, type Callback} from '@trellis/core';
import {dense, meanSquaredError} from '@trellis/layers';
import {sgd} from '@trellis/optimizers';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {isPlotEvent, type PlotEvent} from './events';
import {logFeed} from './log-feed';

let x: tf.Tensor2D;
let y: tf.Tensor2D;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const rows = Array.from({length: 40}, (_, i) => [Math.sin(i * 1.3), Math.cos(i * 0.7)]);
  x = tf.tensor2d(rows);
  y = tf.tensor2d(rows.map(([a, b]) => [2 * a! - b! + 0.5]));
});
afterAll(() => tf.dispose([x, y]));

function model() {
  setSeed(3);
  const m = new Sequential([dense({units: 4, activation: 'relu', inputShape: [2]}), dense({units: 1})]);
  m.compile({optimizer: sgd({learningRate: 0.05}), loss: meanSquaredError()});
  return m;
}

/** 32 training rows in batches of 8 (4 steps per epoch) and 8 validation rows. */
const fitOptions = (callbacks: Callback[], epochs = 3) => ({epochs, batchSize: 8, validationSplit: 0.2, shuffle: false, callbacks});

function recorder(): {events: PlotEvent[]; send: (e: PlotEvent) => void} {
  const events: PlotEvent[] = [];
  return {events, send: (e) => events.push(structuredClone(e))};
}

describe('logFeed in a fit', () => {
  it('sends fitStart, one epochEnd per epoch with the epoch’s logs (as History has them), and fitEnd', async () => {
    const {events, send} = recorder();
    const history = await model().fit(x, y, fitOptions([logFeed(send, {batchInterval: null})]));
    expect(events.map((e) => e.kind)).toEqual(['fitStart', 'epochEnd', 'epochEnd', 'epochEnd', 'fitEnd']);
    expect(events[0]).toEqual({kind: 'fitStart', epochs: 3, initialEpoch: 0, stepsPerEpoch: 4});
    const epochEnds = events.filter((e) => e.kind === 'epochEnd');
    expect(epochEnds.map((e) => e.epoch)).toEqual([0, 1, 2]);
    expect(epochEnds.map((e) => e.logs.loss)).toEqual(history.history.loss);
    expect(epochEnds.map((e) => e.logs.val_loss)).toEqual(history.history.val_loss);
    expect(history.history.val_loss!.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('with batchInterval null defines no batch hook: the fit pays nothing per batch', () => {
    expect(logFeed(() => undefined, {batchInterval: null}).onBatchEnd).toBeUndefined();
    expect(logFeed(() => undefined).onBatchEnd).toBeTypeOf('function');
  });

  it('with batchInterval 0 sends a batchEnd after every batch but an epoch’s last, with the running loss', async () => {
    const {events, send} = recorder();
    const history = await model().fit(x, y, fitOptions([logFeed(send, {batchInterval: 0})], 2));
    const batches = events.filter((e) => e.kind === 'batchEnd');
    expect(batches.map((e) => [e.epoch, e.batch, e.stepsPerEpoch])).toEqual([
      [0, 0, 4],
      [0, 1, 4],
      [0, 2, 4],
      [1, 0, 4],
      [1, 1, 4],
      [1, 2, 4],
    ]);
    for (const e of batches) {
      expect(Number.isFinite(e.logs.loss)).toBe(true);
      expect(Number.isFinite(e.logs.batch_loss)).toBe(true);
    }
    // The first batch's running mean is that batch's loss.
    expect(batches[0]!.logs.loss).toBe(batches[0]!.logs.batch_loss);
    expect(events.map((e) => e.kind).join(' ')).toBe(
      'fitStart batchEnd batchEnd batchEnd epochEnd batchEnd batchEnd batchEnd epochEnd fitEnd',
    );
    expect(events.filter((e) => e.kind === 'epochEnd').map((e) => e.logs.loss)).toEqual(history.history.loss);
  });

  it('with a long batchInterval reads nothing mid-epoch', async () => {
    const {events, send} = recorder();
    await model().fit(x, y, fitOptions([logFeed(send, {batchInterval: 3_600_000})], 2));
    expect(events.some((e) => e.kind === 'batchEnd')).toBe(false);
  });

  it('forwards every record of a gradient monitor once, and runs after it (its setLog values are in the logs)', async () => {
    const {events, send} = recorder();
    const monitor = gradientMonitor({every: 3, print: () => undefined});
    await model().fit(x, y, fitOptions([logFeed(send, {monitor, batchInterval: null}), monitor]));
    const sent = events.flatMap((e) => (e.kind === 'gradients' ? e.records : []));
    expect(monitor.records.length).toBe(4); // steps 0, 3, 6, 9 of 12
    expect(sent).toEqual(
      monitor.records.map((r) => ({
        step: r.step,
        epoch: r.epoch,
        layers: r.layers.map(({layer, gradNorm, gradRms, weightNorm, updateRatio}) => ({
          layer,
          gradNorm,
          gradRms,
          weightNorm,
          updateRatio,
        })),
      })),
    );
    expect(sent.map((r) => r.layers.map((l) => l.layer))).toEqual(Array(4).fill(['dense', 'dense_1']));
    const lastEpoch = events.filter((e) => e.kind === 'epochEnd').at(-1)!;
    expect(lastEpoch.logs['grad_norm/dense']).toBe(monitor.records.at(-1)!.layers[0]!.gradNorm);
    expect(events.at(-1)).toEqual({kind: 'fitEnd'});
    expect(events.every(isPlotEvent)).toBe(true);
  });

  it('sends a second fit’s records from its start, after the monitor started afresh', async () => {
    const {events, send} = recorder();
    const monitor = gradientMonitor({every: 4, print: () => undefined});
    const feed = logFeed(send, {monitor, batchInterval: null});
    const m = model();
    await m.fit(x, y, fitOptions([monitor, feed], 1));
    const first = events.length;
    await m.fit(x, y, fitOptions([monitor, feed], 1));
    const steps = (from: number, to?: number) =>
      events.slice(from, to).flatMap((e) => (e.kind === 'gradients' ? e.records.map((r) => r.step) : []));
    expect(steps(0, first)).toEqual([0]);
    expect(steps(first)).toEqual([0]);
  });

  it('sends fitEnd when the fit throws', async () => {
    const {events, send} = recorder();
    const failing: Callback = {
      name: 'failing',
      onEpochEnd() {
        throw new Error('boom');
      },
    };
    await expect(model().fit(x, y, fitOptions([failing, logFeed(send, {batchInterval: null})]))).rejects.toThrow('boom');
    expect(events.at(-1)).toEqual({kind: 'fitEnd'});
  });

  it('leaves the tensor count flat across epochs and fits (with a monitor and mid-epoch reads)', async () => {
    const m = model();
    const counts: number[] = [];
    const counter: Callback = {name: 'count', order: 2, onEpochEnd: () => void counts.push(tf.memory().numTensors)};
    const monitor = gradientMonitor({every: 2, print: () => undefined});
    const run = () => m.fit(x, y, fitOptions([monitor, logFeed(() => undefined, {monitor, batchInterval: 0}), counter], 4));
    await run();
    const after = tf.memory().numTensors;
    await run();
    expect(tf.memory().numTensors).toBe(after);
    expect(new Set(counts).size).toBe(1);
    expect(counts.length).toBe(8);
  });
});

describe('logFeed options', () => {
  it('refuses a send that is not a function, a negative batchInterval and a monitor without records', () => {
    expect(() => logFeed(undefined as never)).toThrow(
      expect.objectContaining({name: 'ConfigError', message: expect.stringMatching(/send must be a function/)}),
    );
    expect(() => logFeed(() => undefined, {batchInterval: -1})).toThrow(
      expect.objectContaining({name: 'ConfigError', message: expect.stringMatching(/batchInterval must be a finite number >= 0/)}),
    );
    expect(() => logFeed(() => undefined, {monitor: {} as never})).toThrow(
      expect.objectContaining({name: 'ConfigError', message: expect.stringMatching(/monitor must be the gradientMonitor\(\) callback/)}),
    );
  });
});
