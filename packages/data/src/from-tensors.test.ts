import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DTypeError, Sequential, ShapeError} from '@trellis/core';
import {expectNoTensorLeaks, plainSgd, tinyDense, tinyMse} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {fromTensors, type TensorBatch} from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function rowsOf(batches: Iterable<TensorBatch>): number[][] {
  const out: number[][] = [];
  for (const batch of batches) {
    out.push(Array.from(batch.y.dataSync()));
    tf.dispose(batch as unknown as tf.TensorContainer);
  }
  return out;
}

describe('fromTensors', () => {
  it('yields ceil(n / batchSize) batches in order, the last one smaller, keeping dtypes; inputs are not disposed', () => {
    const x = tf.tensor2d(
      Array.from({length: 7}, (_, i) => [i, -i]),
      [7, 2],
    );
    const y = tf.tensor1d([0, 1, 2, 3, 4, 5, 6], 'int32');
    const w = tf.tensor2d([1, 2, 3, 4, 5, 6, 7], [7, 1]);
    const dataset = fromTensors(x, y, {batchSize: 3, sampleWeight: w});
    expect(dataset.cardinality).toBe(3);
    const batches = [...dataset];
    expect(batches.map((b) => b.x.shape)).toEqual([
      [3, 2],
      [3, 2],
      [1, 2],
    ]);
    expect(batches.map((b) => b.y.dtype)).toEqual(['int32', 'int32', 'int32']);
    expect(Array.from(batches[1]!.x.dataSync())).toEqual([3, -3, 4, -4, 5, -5]);
    expect(Array.from(batches[2]!.sampleWeight!.dataSync())).toEqual([7]);
    expect(batches[2]!.sampleWeight!.shape).toEqual([1, 1]);
    tf.dispose(batches as unknown as tf.TensorContainer);
    // A second pass reads the same batches again.
    expect(rowsOf(dataset)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect([x.isDisposed, y.isDisposed, w.isDisposed]).toEqual([false, false, false]);
    tf.dispose([x, y, w]);
  });

  it('shuffles every pass with a new permutation, the same for the same seed', () => {
    const n = 50;
    const x = tf.tensor2d(
      Array.from({length: n}, (_, i) => [i]),
      [n, 1],
    );
    const y = tf.tensor1d(
      Array.from({length: n}, (_, i) => i),
      'int32',
    );
    const a = fromTensors(x, y, {batchSize: 8, shuffle: true, seed: 7});
    const b = fromTensors(x, y, {batchSize: 8, shuffle: true, seed: 7});
    const c = fromTensors(x, y, {batchSize: 8, shuffle: true, seed: 8});
    const a1 = rowsOf(a).flat();
    const a2 = rowsOf(a).flat();
    expect([...a1].sort((p, q) => p - q)).toEqual(Array.from({length: n}, (_, i) => i));
    expect([...a2].sort((p, q) => p - q)).toEqual(Array.from({length: n}, (_, i) => i));
    expect(a2).not.toEqual(a1);
    expect(rowsOf(b).flat()).toEqual(a1);
    expect(rowsOf(b).flat()).toEqual(a2);
    expect(rowsOf(c).flat()).not.toEqual(a1);
    // x rows follow y rows.
    for (const batch of fromTensors(x, y, {batchSize: 8, shuffle: true, seed: 3})) {
      expect(Array.from(batch.x.dataSync())).toEqual(Array.from(batch.y.dataSync()));
      tf.dispose(batch as unknown as tf.TensorContainer);
    }
    tf.dispose([x, y]);
  });

  it('rejects bad inputs with typed errors', () => {
    const x = tf.ones([4, 2]);
    const y = tf.ones([4, 1]);
    expect(() => fromTensors(x, tf.ones([3, 1]), {batchSize: 2})).toThrow(ShapeError);
    expect(() => fromTensors(x, y, {batchSize: 0})).toThrow(ConfigError);
    expect(() => fromTensors(x, y, {batchSize: 2.5})).toThrow(/batchSize must be a positive integer; got 2.5/);
    expect(() => fromTensors(x, y, {batchSize: 2, sampleWeight: tf.ones([4, 2])})).toThrow(/sampleWeight must be a tensor of shape \[4\]/);
    expect(() => fromTensors([[1, 2]] as never, y, {batchSize: 2})).toThrow(DTypeError);
    expect(() => fromTensors(x, y, {batchSize: 2, seed: 0.5})).toThrow(ConfigError);
    expect(() => fromTensors(x, y, undefined as never)).toThrow(ConfigError);
    tf.dispose([x, y]);
  });

  it('trains through fitDataset exactly as fit does, without leaks', async () => {
    const n = 26;
    const xs = tf.tensor2d(
      Array.from({length: n}, (_, i) => [Math.sin(i), Math.cos(3 * i)]),
      [n, 2],
    );
    const ys = tf.tensor2d(
      Array.from({length: n}, (_, i) => [2 * Math.sin(i) - Math.cos(3 * i) + 0.5]),
      [n, 1],
    );
    const model = () => {
      const m = new Sequential([tinyDense(1, [2])]);
      m.compile({optimizer: plainSgd(0.1), loss: tinyMse});
      return m;
    };
    const viaFit = model();
    const viaDataset = model();
    const a = await viaFit.fit(xs, ys, {epochs: 4, batchSize: 5, shuffle: false});
    const b = await viaDataset.fitDataset(fromTensors(xs, ys, {batchSize: 5}), {epochs: 4});
    expect(b.history).toEqual(a.history);
    const wa = viaFit.getWeights();
    const wb = viaDataset.getWeights();
    for (const k of Object.keys(wa)) expect(Array.from(wb[k]!.dataSync())).toEqual(Array.from(wa[k]!.dataSync()));
    expect(b.history.loss![3]!).toBeLessThan(b.history.loss![0]!);
    tf.dispose([...Object.values(wa), ...Object.values(wb)]);
    // Shuffled, with batchesPerEpoch: passes continue across epochs; tensor count stays flat.
    const shuffled = fromTensors(xs, ys, {batchSize: 5, shuffle: true, seed: 1});
    await expectNoTensorLeaks(() => viaDataset.fitDataset(shuffled, {epochs: 3, batchesPerEpoch: 4}), {times: 4});
    expect([xs.isDisposed, ys.isDisposed]).toEqual([false, false]);
    viaFit.dispose();
    viaDataset.dispose();
    tf.dispose([xs, ys]);
  });
});
