import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError} from '@trellis/core';
import {catchError, expectNoNewTensors, randomGenerator} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {sparseTopKCategoricalAccuracy, topKCategoricalAccuracy} from './top-k-accuracy';
import {streamedScalar} from '../test/streaming';
import {expectUpdateCycleLeakFree} from '../test/update-cycle';

beforeAll(() => tf.setBackend('cpu'));

/** Keras' in_top_k in float64: fewer than k scores strictly above the target's. */
function inTopK(row: readonly number[], target: number, k: number): number {
  const t = row[target]!;
  return row.filter((v) => v > t).length < k ? 1 : 0;
}

function data(seed: number, sizes: readonly number[], classes: number) {
  const r = randomGenerator(seed);
  // Scores on a coarse grid so ties are frequent.
  const rows = sizes.map((n) => Array.from({length: n}, () => Array.from({length: classes}, () => Math.floor(r() * 4) / 4)));
  const labels = rows.map((b) => b.map(() => Math.floor(r() * classes)));
  const weights = sizes.map((n) => Array.from({length: n}, () => Math.round(r() * 4) / 2));
  return {rows, labels, weights};
}

function weightedMean(values: readonly number[], weights?: readonly number[]): number {
  let num = 0;
  let den = 0;
  values.forEach((v, i) => {
    num += v * (weights ? weights[i]! : 1);
    den += weights ? weights[i]! : 1;
  });
  return den === 0 ? 0 : num / den;
}

describe('sparseTopKCategoricalAccuracy', () => {
  const sizes = [6, 17, 1, 12];
  const classes = 6;
  const {rows, labels, weights} = data(3, sizes, classes);

  it.each([1, 2, 3, 5])('streams to the float64 in_top_k oracle with ties counted as hits (k=%i), weighted and not', (k) => {
    const hits = rows.flat().map((row, i) => inTopK(row, labels.flat()[i]!, k));
    const batches = rows.map((b, i) => ({yTrue: tf.tensor1d(labels[i]!, 'int32'), yPred: tf.tensor2d(b), sw: tf.tensor1d(weights[i]!)}));
    expect(
      streamedScalar(
        sparseTopKCategoricalAccuracy({k}),
        batches.map(({yTrue, yPred}) => ({yTrue, yPred})),
      ),
    ).toBeCloseTo(weightedMean(hits), 6);
    expect(streamedScalar(sparseTopKCategoricalAccuracy({k}), batches)).toBeCloseTo(weightedMean(hits, weights.flat()), 6);
    tf.dispose(batches);
  });

  it("matches Keras' documented example and takes [batch, 1] float ids", () => {
    const yPred = tf.tensor2d([
      [0.1, 0.9, 0.8],
      [0.05, 0.95, 0],
    ]);
    const ids = tf.tensor2d([[2], [1]], [2, 1], 'float32');
    expect(streamedScalar(sparseTopKCategoricalAccuracy({k: 1}), [{yTrue: ids, yPred}])).toBeCloseTo(0.5, 7);
    expect(streamedScalar(sparseTopKCategoricalAccuracy({k: 1}), [{yTrue: ids, yPred, sw: tf.tensor1d([0.7, 0.3])}])).toBeCloseTo(0.3, 6);
    tf.dispose([yPred, ids]);
  });

  it('counts a tie with the k-th score as a hit, and a NaN score at the target as a miss', () => {
    const yPred = tf.tensor2d([
      [0.5, 0.5, 0.5],
      [NaN, 0.2, 0.1],
      [0.3, NaN, 0.1],
    ]);
    const ids = tf.tensor1d([2, 0, 0], 'int32');
    const m = sparseTopKCategoricalAccuracy({k: 1});
    // Row 0: nothing is strictly above 0.5 → hit; row 1: NaN target → miss; row 2: NaN elsewhere does not count → hit.
    expect(streamedScalar(m, [{yTrue: ids, yPred}])).toBeCloseTo(2 / 3, 6);
    tf.dispose([yPred, ids]);
  });

  it('has Keras names, defaults and spec', () => {
    const m = sparseTopKCategoricalAccuracy();
    expect(m.name).toBe('sparse_top_k_categorical_accuracy');
    expect(m.spec).toEqual({id: 'trellis/sparseTopKCategoricalAccuracy', config: {k: 5, name: 'sparse_top_k_categorical_accuracy'}});
    expect(topKCategoricalAccuracy({k: 2, name: 'top2'}).spec).toEqual({
      id: 'trellis/topKCategoricalAccuracy',
      config: {k: 2, name: 'top2'},
    });
  });

  it('refuses k larger than the classes (ShapeError naming both), bad k (ConfigError) and bad shapes, leaving no tensors', async () => {
    const yPred = tf.ones([4, 3]);
    const ids = tf.tensor1d([0, 1, 2, 0], 'int32');
    const oneHot = tf.ones([4, 3]);
    const m = sparseTopKCategoricalAccuracy();
    const s = m.init();
    await expectNoNewTensors(() => {
      const e = catchError(() => m.update(s, ids, yPred));
      expect(ShapeError.is(e)).toBe(true);
      expect(e.message).toMatch(/k = 5 is larger than the number of classes \(3/);
      expect(ShapeError.is(catchError(() => sparseTopKCategoricalAccuracy({k: 1}).update(s, oneHot, yPred)))).toBe(true);
    });
    for (const k of [0, 1.5, -1, Number.NaN]) expect(ConfigError.is(catchError(() => sparseTopKCategoricalAccuracy({k})))).toBe(true);
    tf.dispose([yPred, ids, s, oneHot]);
  });

  it('leaks nothing across updates and results', async () => {
    const yPred = tf.tensor2d(rows[0]!);
    const ids = tf.tensor1d(labels[0]!, 'int32');
    const m = sparseTopKCategoricalAccuracy({k: 2});
    await expectUpdateCycleLeakFree(m, ids, yPred);
    tf.dispose([yPred, ids]);
  });
});

describe('topKCategoricalAccuracy', () => {
  it('takes the one-hot target class and streams to the oracle, sequences averaged per sample', () => {
    const classes = 5;
    const {rows, labels, weights} = data(4, [9, 14], classes);
    const hot = labels.map((b) => b.map((c) => Array.from({length: classes}, (_, j) => (j === c ? 1 : 0))));
    const hits = rows.flat().map((row, i) => inTopK(row, labels.flat()[i]!, 2));
    const batches = rows.map((b, i) => ({yTrue: tf.tensor2d(hot[i]!), yPred: tf.tensor2d(b), sw: tf.tensor1d(weights[i]!)}));
    expect(streamedScalar(topKCategoricalAccuracy({k: 2}), batches)).toBeCloseTo(weightedMean(hits, weights.flat()), 6);
    // [batch, time, classes]: sample 0 hits at both steps, sample 1 at one of two.
    const yPred = tf.tensor3d([
      [
        [0.1, 0.9, 0.0],
        [0.5, 0.2, 0.3],
      ],
      [
        [0.7, 0.2, 0.1],
        [0.1, 0.1, 0.8],
      ],
    ]);
    const yTrue = tf.tensor3d([
      [
        [0, 1, 0],
        [1, 0, 0],
      ],
      [
        [0, 0, 1],
        [0, 0, 1],
      ],
    ]);
    expect(streamedScalar(topKCategoricalAccuracy({k: 1}), [{yTrue, yPred}])).toBeCloseTo(0.75, 6);
    expect(
      ShapeError.is(catchError(() => topKCategoricalAccuracy().update(topKCategoricalAccuracy().init(), tf.ones([2]), tf.ones([2, 6])))),
    ).toBe(true);
    tf.dispose([batches, yPred, yTrue]);
  });
});
