import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, StateError, withSpec, type Loss, type Metric, type TargetKind} from '@trellis/core';
import {catchError, expectNoNewTensors, expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {accuracy, inferVariant} from './accuracy';
import type {AccuracyState} from './accuracy-state';
import {binaryAccuracy} from './binary-accuracy';
import {categoricalAccuracy} from './categorical-accuracy';
import {sparseCategoricalAccuracy} from './sparse-categorical-accuracy';
import {streamedScalar, type TensorBatch} from '../test/streaming';

beforeAll(() => tf.setBackend('cpu'));

function argmax(row: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/** Weighted mean in float64: the independent oracle. */
function weightedMean(values: readonly number[], weights?: readonly number[]): number {
  let num = 0;
  let den = 0;
  values.forEach((v, i) => {
    const w = weights ? weights[i]! : 1;
    num += v * w;
    den += w;
  });
  return den === 0 ? 0 : num / den;
}

function once(metric: Metric<AccuracyState>, yTrue: tf.Tensor, yPred: tf.Tensor, sw?: tf.Tensor): number {
  return streamedScalar(metric, [{yTrue, yPred, sw}]);
}

/** Random classification data split into batches of uneven sizes. */
function classData(seed: number, sizes: readonly number[], classes: number) {
  const r = randomGenerator(seed);
  const rows = sizes.map((n) => Array.from({length: n}, () => Array.from({length: classes}, () => r())));
  // About half the labels agree with the prediction so the accuracy is far from 0 and 1.
  const labels = rows.map((b) => b.map((row) => (r() < 0.5 ? argmax(row) : Math.floor(r() * classes))));
  const weights = sizes.map((n) => Array.from({length: n}, () => Math.round(r() * 4) / 2));
  return {rows, labels, weights};
}

const fakeLoss = (targetKind: TargetKind, fromLogits = false): Loss =>
  withSpec({id: 'test/loss', config: {}}, ((yTrue: tf.Tensor) => tf.zeros([yTrue.shape[0]!])) as unknown as Loss, {
    name: `${targetKind}-loss`,
    targetKind,
    fromLogits,
  });

describe('sparseCategoricalAccuracy', () => {
  const sizes = [7, 16, 1, 32, 9];
  const {rows, labels, weights} = classData(1, sizes, 5);
  const flatRows = rows.flat();
  const flatLabels = labels.flat();
  const flatWeights = weights.flat();
  const oracleMatches = flatRows.map((row, i) => (argmax(row) === flatLabels[i] ? 1 : 0));

  it('streams over uneven batches to the float64 whole-data accuracy, with [batch] and [batch, 1] labels', () => {
    const expected = weightedMean(oracleMatches);
    expect(expected).toBeGreaterThan(0.3);
    expect(expected).toBeLessThan(0.9);
    const batches = rows.map((b, i) => ({yTrue: tf.tensor1d(labels[i]!, 'int32'), yPred: tf.tensor2d(b)}));
    expect(streamedScalar(sparseCategoricalAccuracy(), batches)).toBeCloseTo(expected, 6);
    const column = rows.map((b, i) => ({yTrue: tf.tensor2d(labels[i]!, [b.length, 1], 'float32'), yPred: tf.tensor2d(b)}));
    expect(streamedScalar(sparseCategoricalAccuracy(), column)).toBeCloseTo(expected, 6);
    const whole = {yTrue: tf.tensor1d(flatLabels, 'int32'), yPred: tf.tensor2d(flatRows)};
    expect(once(sparseCategoricalAccuracy(), whole.yTrue, whole.yPred)).toBeCloseTo(expected, 6);
    tf.dispose([batches, column, whole]);
  });

  it('weights samples by sampleWeight [batch] (total = Σ w·match, count = Σ w)', () => {
    const expected = weightedMean(oracleMatches, flatWeights);
    expect(Math.abs(expected - weightedMean(oracleMatches))).toBeGreaterThan(1e-3);
    const batches = rows.map((b, i) => ({
      yTrue: tf.tensor1d(labels[i]!, 'int32'),
      yPred: tf.tensor2d(b),
      sw: tf.tensor1d(weights[i]!),
    }));
    expect(streamedScalar(sparseCategoricalAccuracy(), batches)).toBeCloseTo(expected, 6);
    const metric = sparseCategoricalAccuracy();
    const s0 = metric.init();
    const b = batches[1]!;
    const s1 = metric.update(s0, b.yTrue, b.yPred, b.sw);
    const w = weights[1]!;
    const first = sizes[0]!;
    const m: number[] = oracleMatches.slice(first, first + sizes[1]!);
    expect(s1.count.dataSync()[0]).toBeCloseTo(
      w.reduce((a, c) => a + c, 0),
      6,
    );
    expect(s1.total.dataSync()[0]).toBeCloseTo(
      m.reduce((a, c, i) => a + c * w[i]!, 0),
      6,
    );
    tf.dispose([batches, s0, s1]);
  });

  it('breaks ties by the first index, like argmax', () => {
    const yPred = tf.tensor2d([
      [0.5, 0.5, 0],
      [0.2, 0.4, 0.4],
    ]);
    expect(once(sparseCategoricalAccuracy(), tf.tensor1d([0, 2], 'int32'), yPred)).toBeCloseTo(0.5, 7);
    tf.dispose(yPred);
  });

  it('handles sequences [batch, time, classes] by averaging per sample', () => {
    const yPred = tf.tensor3d([
      [
        [0.9, 0.1],
        [0.2, 0.8],
      ],
      [
        [0.9, 0.1],
        [0.6, 0.4],
      ],
    ]);
    const yTrue = tf.tensor2d(
      [
        [0, 0],
        [0, 0],
      ],
      [2, 2],
      'int32',
    );
    // Sample 0: 1/2, sample 1: 2/2; weights 3 and 1 → (1.5 + 1) / 4.
    expect(once(sparseCategoricalAccuracy(), yTrue, yPred, tf.tensor1d([3, 1]))).toBeCloseTo(2.5 / 4, 6);
    tf.dispose([yPred, yTrue]);
  });
});

describe('categoricalAccuracy', () => {
  it('compares argmax of one-hot targets and predictions over batches, weighted and not', () => {
    const sizes = [5, 12, 20];
    const {rows, labels, weights} = classData(2, sizes, 4);
    const oneHot = labels.map((b) => b.map((c) => [0, 1, 2, 3].map((k) => (k === c ? 1 : 0))));
    const matches = rows.flat().map((row, i) => (argmax(row) === labels.flat()[i] ? 1 : 0));
    const batches = rows.map((b, i) => ({yTrue: tf.tensor2d(oneHot[i]!), yPred: tf.tensor2d(b), sw: tf.tensor1d(weights[i]!)}));
    expect(
      streamedScalar(
        categoricalAccuracy(),
        batches.map(({yTrue, yPred}) => ({yTrue, yPred})),
      ),
    ).toBeCloseTo(weightedMean(matches), 6);
    expect(streamedScalar(categoricalAccuracy(), batches)).toBeCloseTo(weightedMean(matches, weights.flat()), 6);
    tf.dispose(batches);
  });

  it('rejects class ids with a ShapeError that points to the sparse variant', () => {
    const yPred = tf.ones([3, 4]);
    const yTrue = tf.ones([3]);
    const m = categoricalAccuracy();
    const s = m.init();
    const e = catchError(() => m.update(s, yTrue, yPred));
    expect(ShapeError.is(e)).toBe(true);
    expect(e.message).toContain('sparseCategoricalAccuracy');
    tf.dispose([yPred, yTrue, s]);
  });
});

describe('binaryAccuracy', () => {
  const r = randomGenerator(3);
  const probs = Array.from({length: 50}, () => r());
  const targets = probs.map((p) => (r() < 0.7 ? (p > 0.5 ? 1 : 0) : r() < 0.5 ? 1 : 0));
  const weights = probs.map(() => Math.floor(r() * 3));

  it('thresholds probabilities at 0.5 (strictly greater), [batch, 1] against [batch] or [batch, 1]', () => {
    const matches = probs.map((p, i) => ((p > 0.5 ? 1 : 0) === targets[i] ? 1 : 0));
    const yPred = tf.tensor2d(probs, [50, 1]);
    for (const yTrue of [tf.tensor1d(targets), tf.tensor2d(targets, [50, 1], 'int32')]) {
      expect(once(binaryAccuracy(), yTrue, yPred)).toBeCloseTo(weightedMean(matches), 6);
      expect(once(binaryAccuracy(), yTrue, yPred, tf.tensor1d(weights))).toBeCloseTo(weightedMean(matches, weights), 6);
      tf.dispose(yTrue);
    }
    // Exactly at the threshold is class 0, as in Keras (y_pred > threshold).
    expect(once(binaryAccuracy(), tf.tensor1d([0, 0]), tf.tensor1d([0.5, 0.5]))).toBe(1);
    tf.dispose(yPred);
  });

  it('uses the given threshold (0 for logits) and streams over batches', () => {
    const logits = probs.map((p) => Math.log(p / (1 - p)));
    const matches = logits.map((z, i) => ((z > 0 ? 1 : 0) === targets[i] ? 1 : 0));
    const batches = [0, 13, 29, 50].slice(1).map((end, i, ends) => {
      const start = i === 0 ? 0 : ends[i - 1]!;
      return {
        yTrue: tf.tensor2d(targets.slice(start, end), [end - start, 1]),
        yPred: tf.tensor2d(logits.slice(start, end), [end - start, 1]),
      };
    });
    expect(streamedScalar(binaryAccuracy({threshold: 0}), batches)).toBeCloseTo(weightedMean(matches), 6);
    // The Keras default (0.5) on logits is a different, wrong number.
    const wrong = logits.map((z, i) => ((z > 0.5 ? 1 : 0) === targets[i] ? 1 : 0));
    expect(weightedMean(wrong)).not.toBeCloseTo(weightedMean(matches), 3);
    expect(streamedScalar(binaryAccuracy(), batches)).toBeCloseTo(weightedMean(wrong), 6);
    tf.dispose(batches);
  });

  it('averages multi-label outputs [batch, k] per sample before weighting', () => {
    const yPred = tf.tensor2d([
      [0.9, 0.2, 0.7],
      [0.1, 0.6, 0.4],
    ]);
    const yTrue = tf.tensor2d([
      [1, 0, 0],
      [1, 1, 0],
    ]);
    // Thresholded: [1, 0, 1] and [0, 1, 0]. Sample 0 vs [1, 0, 0]: 2/3; sample 1 vs [1, 1, 0]: 2/3.
    expect(once(binaryAccuracy(), yTrue, yPred)).toBeCloseTo(2 / 3, 6);
    const yTrue2 = tf.tensor2d([
      [1, 0, 1],
      [0, 0, 0],
    ]);
    // Sample 0: 3/3, sample 1: 2/3; weighted by [1, 3]: (1 + 2) / 4.
    expect(once(binaryAccuracy(), yTrue2, yPred, tf.tensor1d([1, 3]))).toBeCloseTo(3 / 4, 6);
    tf.dispose([yPred, yTrue, yTrue2]);
  });

  it('rejects a non-finite threshold and a bad name', () => {
    expect(ConfigError.is(catchError(() => binaryAccuracy({threshold: NaN})))).toBe(true);
    expect(ConfigError.is(catchError(() => binaryAccuracy({name: ''})))).toBe(true);
    expect(ConfigError.is(catchError(() => accuracy(5 as never)))).toBe(true);
  });
});

describe('accuracy()', () => {
  it('is named accuracy and carries the trellis/accuracy spec', () => {
    const m = accuracy();
    expect(m.name).toBe('accuracy');
    expect(m.spec).toEqual({id: 'trellis/accuracy', config: {name: 'accuracy'}});
    expect(accuracy({name: 'acc'}).name).toBe('acc');
    expect(binaryAccuracy().spec).toEqual({id: 'trellis/binaryAccuracy', config: {name: 'binary_accuracy', threshold: 0.5}});
    expect(categoricalAccuracy().name).toBe('categorical_accuracy');
    expect(sparseCategoricalAccuracy().spec.id).toBe('trellis/sparseCategoricalAccuracy');
  });

  it('forLoss picks the variant from targetKind and fromLogits, keeping the name', () => {
    const acc = accuracy({name: 'acc'});
    const bin = acc.forLoss(fakeLoss('binary'));
    expect(bin.name).toBe('acc');
    expect(bin.spec).toEqual({id: 'trellis/binaryAccuracy', config: {name: 'acc', threshold: 0.5}});
    expect(acc.forLoss(fakeLoss('binary', true)).spec).toEqual({
      id: 'trellis/binaryAccuracy',
      config: {name: 'acc', threshold: 0},
    });
    expect(acc.forLoss(fakeLoss('categorical')).spec).toEqual({id: 'trellis/categoricalAccuracy', config: {name: 'acc'}});
    expect(acc.forLoss(fakeLoss('sparse', true)).spec).toEqual({
      id: 'trellis/sparseCategoricalAccuracy',
      config: {name: 'acc'},
    });
    const e = catchError(() => acc.forLoss(fakeLoss('regression')));
    expect(ConfigError.is(e)).toBe(true);
    expect(e.message).toContain('classification loss');
    expect(ConfigError.is(catchError(() => acc.forLoss({} as Loss)))).toBe(true);
  });

  it('forLoss with binary logits thresholds at 0: numbers match the oracle', () => {
    const logits = [-2, -0.3, 0.2, 0.4, 0.7, 3];
    const targets = [0, 1, 1, 1, 0, 1];
    const yPred = tf.tensor2d(logits, [6, 1]);
    const yTrue = tf.tensor2d(targets, [6, 1]);
    const atZero = logits.map((z, i) => ((z > 0 ? 1 : 0) === targets[i] ? 1 : 0));
    expect(once(accuracy().forLoss(fakeLoss('binary', true)), yTrue, yPred)).toBeCloseTo(weightedMean(atZero), 6);
    expect(once(accuracy().forLoss(fakeLoss('binary', true)), yTrue, yPred)).toBeCloseTo(4 / 6, 6);
    expect(once(accuracy().forLoss(fakeLoss('binary')), yTrue, yPred)).toBeCloseTo(2 / 6, 6);
    tf.dispose([yPred, yTrue]);
  });

  it('infers the variant from shapes at the first update and keeps it', () => {
    expect(inferVariant([8, 1], [8, 1])).toBe('binary');
    expect(inferVariant([8], [8, 1])).toBe('binary');
    expect(inferVariant([8], [8])).toBe('binary');
    expect(inferVariant([8], [8, 10])).toBe('sparse');
    expect(inferVariant([8, 1], [8, 10])).toBe('sparse');
    expect(inferVariant([8, 5], [8, 5, 3])).toBe('sparse');
    expect(inferVariant([8, 10], [8, 10])).toBe('categorical');

    const r = randomGenerator(9);
    const rows = Array.from({length: 12}, () => Array.from({length: 3}, () => r()));
    const ids = rows.map((row) => (r() < 0.6 ? argmax(row) : 0));
    const matches = rows.map((row, i) => (argmax(row) === ids[i] ? 1 : 0));
    const yPred = tf.tensor2d(rows);
    const sparse = accuracy();
    expect(sparse.variant).toBeUndefined();
    // A failing first batch (batch sizes differ) locks nothing in.
    const s0 = sparse.init();
    const short = tf.zeros([11], 'int32');
    expect(ShapeError.is(catchError(() => sparse.update(s0, short, yPred)))).toBe(true);
    expect(sparse.variant).toBeUndefined();
    tf.dispose([s0, short]);
    const yIds = tf.tensor1d(ids, 'int32');
    expect(once(sparse, yIds, yPred)).toBeCloseTo(weightedMean(matches), 6);
    expect(sparse.variant).toBe('sparse');

    const categorical = accuracy();
    const yOneHot = tf.oneHot(yIds, 3);
    expect(once(categorical, yOneHot, yPred)).toBeCloseTo(weightedMean(matches), 6);
    expect(categorical.variant).toBe('categorical');

    const binary = accuracy();
    const p = tf.tensor2d([0.2, 0.8, 0.6, 0.4], [4, 1]);
    expect(once(binary, tf.tensor2d([0, 1, 0, 0], [4, 1]), p)).toBeCloseTo(0.75, 6);
    expect(binary.variant).toBe('binary');
    // Locked in: a later batch of another kind is a shape error, not a silent switch.
    const s = sparse.init();
    expect(ShapeError.is(catchError(() => sparse.update(s, yOneHot, yPred)))).toBe(true);
    tf.dispose([yPred, yIds, yOneHot, p, s]);
  });
});

describe('state: result, merge, errors', () => {
  it('result of an empty state (or all-zero weights) is 0, not NaN', () => {
    const m = sparseCategoricalAccuracy();
    const s = m.init();
    expect(m.result(s).dataSync()[0]).toBe(0);
    const yPred = tf.tensor2d([[0.1, 0.9]]);
    const s1 = m.update(s, tf.tensor1d([1], 'int32'), yPred, tf.tensor1d([0]));
    const r = m.result(s1);
    expect(r.dataSync()[0]).toBe(0);
    expect(r.shape).toEqual([]);
    expect(r.dtype).toBe('float32');
    tf.dispose([s, s1, yPred, r]);
  });

  it('merge adds states: merging shards equals streaming everything', () => {
    const {rows, labels, weights} = classData(5, [10, 20, 6], 3);
    const m = accuracy().forLoss(fakeLoss('sparse'));
    const batches = rows.map((b, i) => ({yTrue: tf.tensor1d(labels[i]!, 'int32'), yPred: tf.tensor2d(b), sw: tf.tensor1d(weights[i]!)}));
    const shard = (bs: TensorBatch[]) => {
      let s = m.init();
      for (const b of bs) {
        const n = m.update(s, b.yTrue, b.yPred, b.sw);
        tf.dispose(s);
        s = n;
      }
      return s;
    };
    const a = shard(batches.slice(0, 2));
    const b = shard(batches.slice(2));
    const merged = m.merge!(a, b);
    const r = m.result(merged);
    const matches = rows.flat().map((row, i) => (argmax(row) === labels.flat()[i] ? 1 : 0));
    expect(r.dataSync()[0]).toBeCloseTo(weightedMean(matches, weights.flat()), 6);
    expect(a.total.isDisposed || b.total.isDisposed).toBe(false);
    tf.dispose([batches, a, b, merged, r]);
  });

  it('update returns new tensors and disposes nothing', () => {
    const m = binaryAccuracy();
    const s = m.init();
    const yTrue = tf.tensor1d([1, 0]);
    const yPred = tf.tensor1d([0.7, 0.9]);
    const sw = tf.tensor1d([1, 2]);
    const n = m.update(s, yTrue, yPred, sw);
    expect(n.total).not.toBe(s.total);
    expect([s.total, s.count, yTrue, yPred, sw].some((t) => t.isDisposed)).toBe(false);
    expect(n.total.dataSync()[0]).toBeCloseTo(1, 7);
    expect(n.count.dataSync()[0]).toBeCloseTo(3, 7);
    tf.dispose([s, n, yTrue, yPred, sw]);
  });

  it('bad inputs throw typed errors and leak nothing', () => {
    const m = sparseCategoricalAccuracy();
    const s = m.init();
    const yPred = tf.ones([4, 3]);
    const good = tf.zeros([4], 'int32');
    const t5 = tf.zeros([5], 'int32');
    const t42 = tf.zeros([4, 2]);
    const w3 = tf.ones([3]);
    const w42 = tf.ones([4, 2]);
    const p4 = tf.ones([4]);
    const dead = m.init();
    tf.dispose(dead);
    const isShape = (e: unknown) => ShapeError.is(e);
    const isConfig = (e: unknown) => ConfigError.is(e);
    const isState = (e: unknown) => StateError.is(e);
    const cases: [string, () => unknown, (e: unknown) => boolean][] = [
      ['batch mismatch', () => m.update(s, t5, yPred), isShape],
      ['one-hot to sparse', () => m.update(s, t42, yPred), isShape],
      ['weights of the wrong length', () => m.update(s, good, yPred, w3), isShape],
      ['weights of the wrong rank', () => m.update(s, good, yPred, w42), isShape],
      ['rank-1 predictions', () => m.update(s, good, p4), isShape],
      ['not a tensor', () => m.update(s, [0, 1] as never, yPred), isConfig],
      ['not a state', () => m.update({} as AccuracyState, good, yPred), isState],
      ['disposed state', () => m.result(dead), isState],
      ['binary shape mismatch', () => binaryAccuracy().update(s, t42, yPred), isShape],
    ];
    const before = tf.memory().numTensors;
    for (const [what, fn, is] of cases) {
      const e = catchError(fn);
      expect(is(e), `${what}: ${String(e)}`).toBe(true);
      expect(tf.memory().numTensors, what).toBe(before);
    }
    tf.dispose([s, yPred, good, t5, t42, w3, w42, p4]);
  });
});

describe('leaks', () => {
  it('a fit-style loop (update, dispose old state, result) keeps the tensor count flat', async () => {
    const {rows, labels, weights} = classData(11, [8], 4);
    const yPred = tf.tensor2d(rows[0]!);
    const yTrue = tf.tensor1d(labels[0]!, 'int32');
    const sw = tf.tensor1d(weights[0]!);
    for (const metric of [accuracy(), sparseCategoricalAccuracy(), accuracy().forLoss(fakeLoss('sparse'))]) {
      let state = metric.init();
      await expectNoTensorLeaks(
        () => {
          const next = metric.update(state, yTrue, yPred, sw);
          tf.dispose(state);
          state = next;
          tf.dispose(metric.result(state));
        },
        {times: 5},
      );
      tf.dispose(state);
    }
    const p1 = tf.tensor2d([0.2, 0.9, 0.6], [3, 1]);
    const t1 = tf.tensor1d([0, 1, 1]);
    for (const m of [binaryAccuracy(), accuracy()]) {
      // Only what is returned may remain: the new state and the result.
      await expectNoNewTensors(() => {
        const s = m.init();
        const n = m.update(s, t1, p1);
        tf.dispose(s);
        const merged = m.merge!(n, n);
        return {n, merged, r: m.result(merged)};
      }).then(() => undefined);
    }
    tf.dispose([p1, t1]);
    tf.dispose([yPred, yTrue, sw]);
  });
});
