import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, Sequential, ShapeError} from '@trellis/core';
import {expectNoTensorLeaks, plainSgd, tinyDense, tinyMse} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {balancedBatches, type TensorBatch} from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 100 samples: 90 of class 0, 9 of class 1, 1 of class 2, interleaved; x is the sample index. */
function imbalanced() {
  const labels = Array.from({length: 100}, (_, i) => (i === 50 ? 2 : i % 11 === 3 ? 1 : 0));
  return {
    labels,
    x: tf.tensor2d(
      labels.map((_, i) => [i]),
      [100, 1],
    ),
    y: tf.tensor1d(labels, 'int32'),
  };
}

/** The first `count` batches as arrays of sample indices (x) and labels (y); disposes them. */
function take(dataset: Iterable<TensorBatch>, count: number): {x: number[]; y: number[]}[] {
  const out: {x: number[]; y: number[]}[] = [];
  for (const batch of dataset) {
    out.push({x: Array.from(batch.x.dataSync()), y: Array.from(batch.y.dataSync())});
    tf.dispose(batch as unknown as tf.TensorContainer);
    if (out.length === count) break;
  }
  return out;
}

describe('balancedBatches', () => {
  it('draws every class uniformly and every sample of a class uniformly (within 5 standard deviations)', () => {
    const {labels, x, y} = imbalanced();
    expect(labels.filter((l) => l === 1)).toHaveLength(9);
    const batches = take(balancedBatches(x, y, {batchSize: 30, seed: 11}), 200);
    const draws = 200 * 30;
    const classCounts = [0, 0, 0];
    const sampleCounts = new Map<number, number>();
    for (const {x: rows, y: ys} of batches) {
      expect(rows).toHaveLength(30);
      rows.forEach((row, i) => {
        // The label travels with its sample.
        expect(ys[i]).toBe(labels[row]);
        classCounts[ys[i]!]!++;
        sampleCounts.set(row, (sampleCounts.get(row) ?? 0) + 1);
      });
    }
    // Binomial(6000, 1/3): mean 2000, sd 36.5.
    const sd = Math.sqrt(draws * (1 / 3) * (2 / 3));
    for (const c of classCounts) expect(Math.abs(c - draws / 3)).toBeLessThan(5 * sd);
    // The 9 samples of class 1: each Binomial(~2000, 1/9), sd ~14.
    const perSample = classCounts[1]! / 9;
    const sampleSd = Math.sqrt(classCounts[1]! * (1 / 9) * (8 / 9));
    for (let i = 0; i < 100; i++) {
      if (labels[i] === 1) expect(Math.abs(sampleCounts.get(i)! - perSample)).toBeLessThan(5 * sampleSd);
    }
    expect(sampleCounts.get(50)).toBe(classCounts[2]);
    tf.dispose([x, y]);
  });

  it('is deterministic by seed, endless, and restarts its sequence on each for..of', () => {
    const {x, y} = imbalanced();
    const a = balancedBatches(x, y, {batchSize: 8, seed: 5});
    expect(a.cardinality).toBe(Infinity);
    const first = take(a, 50);
    expect(first).toHaveLength(50);
    expect(take(a, 50)).toEqual(first);
    expect(take(balancedBatches(x, y, {batchSize: 8, seed: 5}), 50)).toEqual(first);
    expect(take(balancedBatches(x, y, {batchSize: 8, seed: 6}), 50)).not.toEqual(first);
    tf.dispose([x, y]);
  });

  it('accepts one-hot and [n, 1] float labels, keeping their shape and dtype', () => {
    const ids = tf.tensor1d([0, 0, 0, 1], 'int32');
    const oneHot = tf.oneHot(ids, 2);
    const x = tf.tensor2d([[0], [1], [2], [3]]);
    const [batch] = take(balancedBatches(x, oneHot, {batchSize: 64, seed: 1}), 1);
    const ones = batch!.y.filter((v, i) => i % 2 === 1 && v === 1).length;
    expect(ones).toBeGreaterThan(16);
    const column = tf.tensor2d([[0], [0], [0], [1]]);
    const dataset = balancedBatches(x, column, {batchSize: 4, seed: 1});
    for (const b of dataset) {
      expect([b.y.shape, b.y.dtype]).toEqual([[4, 1], 'float32']);
      tf.dispose(b as unknown as tf.TensorContainer);
      break;
    }
    tf.dispose([ids, oneHot, x, column]);
  });

  it('rejects bad inputs with typed errors', () => {
    const x = tf.ones([3, 2]);
    expect(() => balancedBatches(x, tf.tensor1d([0, 1, 0.5]), {batchSize: 2})).toThrow(DataError);
    expect(() => balancedBatches(x, tf.tensor1d([0, -1, 1]), {batchSize: 2})).toThrow(/label 1 is -1/);
    expect(() => balancedBatches(x, tf.ones([3, 2, 2]), {batchSize: 2})).toThrow(ShapeError);
    expect(() => balancedBatches(x, tf.tensor1d([0, 1]), {batchSize: 2})).toThrow(ShapeError);
    expect(() => balancedBatches(x, tf.tensor1d([0, 1, 1]), {batchSize: -1})).toThrow(ConfigError);
    tf.dispose(x);
  });

  it('trains through fitDataset with batchesPerEpoch, deterministically by seed, without leaks', async () => {
    // One feature that separates the classes; class 1 is 5 % of the data.
    const n = 200;
    const labels = Array.from({length: n}, (_, i) => (i % 20 === 7 ? 1 : 0));
    const x = tf.tensor2d(
      labels.map((l, i) => [l * 2 - 1 + 0.1 * Math.sin(i), 1]),
      [n, 2],
    );
    const y = tf.tensor2d(
      labels.map((l) => [l]),
      [n, 1],
    );
    const train = async () => {
      const model = new Sequential([tinyDense(1, [2])]);
      model.compile({optimizer: plainSgd(0.1), loss: tinyMse});
      const history = await model.fitDataset(balancedBatches(x, y, {batchSize: 16, seed: 3}), {epochs: 4, batchesPerEpoch: 10});
      const weights = model.getWeights();
      const values = Object.values(weights).flatMap((t) => Array.from(t.dataSync()));
      tf.dispose(Object.values(weights));
      model.dispose();
      return {history, values};
    };
    await expect(
      (async () => {
        const model = new Sequential([tinyDense(1, [2])]);
        model.compile({optimizer: plainSgd(0.1), loss: tinyMse});
        try {
          await model.fitDataset(balancedBatches(x, y, {batchSize: 16, seed: 3}), {epochs: 1});
        } finally {
          model.dispose();
        }
      })(),
    ).rejects.toThrow(/infinite.*batchesPerEpoch/);
    const a = await train();
    const b = await train();
    expect(b.values).toEqual(a.values);
    expect(b.history.history).toEqual(a.history.history);
    const loss = a.history.history.loss!;
    expect(loss).toHaveLength(4);
    expect(loss[3]!).toBeLessThan(loss[0]!);
    await expectNoTensorLeaks(() => train(), {times: 3});
    tf.dispose([x, y]);
  });
});
