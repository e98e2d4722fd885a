import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, type Metric} from '@trellis/core';
import {catchError, expectNoNewTensors, expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {
  cosineSimilarity,
  logCoshError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
  rootMeanSquaredError,
  type MeanState,
} from './regression';
import {streamedRows, type RowBatch} from '../test/streaming';

beforeAll(() => tf.setBackend('cpu'));

type Batch = RowBatch;

const streamed = (metric: Metric<MeanState>, batches: readonly Batch[]) => streamedRows(metric, batches) as number;

/** Weighted mean over samples of a per-sample value (float64). */
function oracle(batches: readonly Batch[], perSample: (t: number[], p: number[]) => number): number {
  let num = 0;
  let den = 0;
  for (const b of batches) {
    b.yTrue.forEach((t, i) => {
      const w = b.sw ? b.sw[i]! : 1;
      num += w * perSample(t, b.yPred[i]!);
      den += w;
    });
  }
  return den === 0 ? 0 : num / den;
}

const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const norm = (v: number[]) => Math.min(1 / Math.sqrt(v.reduce((a, x) => a + x * x, 0)), 1e7);

const cases: [string, () => Metric<MeanState>, (t: number[], p: number[]) => number, string][] = [
  ['meanSquaredError', () => meanSquaredError(), (t, p) => meanOf(t.map((x, j) => (x - p[j]!) ** 2)), 'mean_squared_error'],
  ['meanAbsoluteError', () => meanAbsoluteError(), (t, p) => meanOf(t.map((x, j) => Math.abs(x - p[j]!))), 'mean_absolute_error'],
  [
    'meanAbsolutePercentageError',
    () => meanAbsolutePercentageError(),
    (t, p) => 100 * meanOf(t.map((x, j) => Math.abs((x - p[j]!) / Math.max(Math.abs(x), 1e-7)))),
    'mean_absolute_percentage_error',
  ],
  [
    'meanSquaredLogarithmicError',
    () => meanSquaredLogarithmicError(),
    (t, p) => meanOf(t.map((x, j) => (Math.log(Math.max(p[j]!, 1e-7) + 1) - Math.log(Math.max(x, 1e-7) + 1)) ** 2)),
    'mean_squared_logarithmic_error',
  ],
  ['logCoshError', () => logCoshError(), (t, p) => meanOf(t.map((x, j) => Math.log(Math.cosh(p[j]! - x)))), 'logcosh'],
  [
    'cosineSimilarity',
    () => cosineSimilarity(),
    (t, p) => {
      const [a, b] = [norm(t), norm(p)];
      return t.reduce((s, x, j) => s + x * a * p[j]! * b, 0);
    },
    'cosine_similarity',
  ],
];

describe('regression metrics', () => {
  const r = randomGenerator(5);
  const batches: Batch[] = [6, 15, 1, 11].map((n) => ({
    yTrue: Array.from({length: n}, () => Array.from({length: 3}, () => r() * 4 - 1)),
    yPred: Array.from({length: n}, () => Array.from({length: 3}, () => r() * 4 - 1)),
    sw: Array.from({length: n}, () => Math.round(r() * 6) / 4),
  }));
  const plain = batches.map(({yTrue, yPred}) => ({yTrue, yPred}));

  it.each(cases)('%s streams to the float64 Keras formula, weighted and not', (_, make, perSample, kerasName) => {
    expect(make().name).toBe(kerasName);
    for (const data of [plain, batches]) {
      const expected = oracle(data, perSample);
      // Relative to the scale: percentages run in the hundreds.
      expect(Math.abs(streamed(make(), data) - expected) / Math.max(1, Math.abs(expected))).toBeLessThan(1e-6);
    }
  });

  it('rootMeanSquaredError is the root of the streamed mean, not a mean of batch roots', () => {
    const mse = oracle(batches, (t, p) => meanOf(t.map((x, j) => (x - p[j]!) ** 2)));
    expect(streamed(rootMeanSquaredError(), batches)).toBeCloseTo(Math.sqrt(mse), 5);
    expect(rootMeanSquaredError().spec).toEqual({id: 'trellis/rootMeanSquaredError', config: {name: 'root_mean_squared_error'}});
  });

  it('aligns [batch] with [batch, 1] and counts [batch] pairs one value per sample', () => {
    const m = meanSquaredError();
    const [a, b, c] = [tf.tensor1d([1, 2, 3]), tf.tensor2d([[1], [0], [0]]), tf.tensor1d([1, 0, 0])];
    const s = m.init();
    const n1 = m.update(s, a, b);
    const n2 = m.update(s, a, c);
    const [r1, r2] = [m.result(n1), m.result(n2)];
    expect(r1.dataSync()[0]).toBeCloseTo(13 / 3, 6);
    expect(r2.dataSync()[0]).toBeCloseTo(13 / 3, 6);
    expect(n2.count.dataSync()[0]).toBe(3);
    tf.dispose([a, b, c, s, n1, n2, r1, r2]);
  });

  it('cosineSimilarity takes an axis and gives 0 for a zero vector', () => {
    const yTrue = tf.tensor3d([
      [
        [1, 0],
        [0, 1],
      ],
    ]);
    const yPred = tf.tensor3d([
      [
        [1, 1],
        [0, 0],
      ],
    ]);
    const m = cosineSimilarity({axis: 1});
    expect(m.spec.config).toEqual({name: 'cosine_similarity', axis: 1});
    let s = m.init();
    const n = m.update(s, yTrue, yPred);
    const res = m.result(n);
    // Along axis 1: column 0 is [1, 0]·[1, 0] = 1, column 1 is [0, 1]·[0.707, 0] = 0 → mean 0.5.
    expect(res.dataSync()[0]).toBeCloseTo(0.5, 6);
    tf.dispose([s, n, res]);
    s = cosineSimilarity().init();
    const zero = tf.zeros([1, 2]);
    const one = tf.ones([1, 2]);
    const z = cosineSimilarity().update(s, zero, one);
    const zr = cosineSimilarity().result(z);
    expect(zr.dataSync()[0]).toBe(0);
    expect(ShapeError.is(catchError(() => cosineSimilarity({axis: 0}).update(s, one, one)))).toBe(true);
    tf.dispose([yTrue, yPred, s, zero, one, z, zr]);
  });

  it('refuses mismatched shapes (ShapeError) and bad options (ConfigError) without leaking', async () => {
    const m = meanAbsoluteError();
    const s = m.init();
    const [a, b] = [tf.ones([4, 3]), tf.ones([4, 2])];
    await expectNoNewTensors(() => {
      expect(ShapeError.is(catchError(() => m.update(s, a, b)))).toBe(true);
    });
    expect(ConfigError.is(catchError(() => cosineSimilarity({axis: 0.5})))).toBe(true);
    expect(ConfigError.is(catchError(() => meanSquaredError({name: ''})))).toBe(true);
    expect(catchError(() => logCoshError({nmae: 'x'} as never)).message).toMatch(/did you mean 'name'/);
    await expectNoTensorLeaks(() => {
      const n = rootMeanSquaredError().update(s, a, a);
      const res = rootMeanSquaredError().result(n);
      tf.dispose([n, res]);
    });
    tf.dispose([s, a, b]);
  });
});
