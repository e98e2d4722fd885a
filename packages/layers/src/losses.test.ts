import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, DataError, ShapeError, UnknownIdError, withSpec, type Loss} from '@trellis/core';
import {catchError, expectNoNewTensors, expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  getLoss,
  lossNames,
  meanSquaredError,
  sparseCategoricalCrossentropy,
} from './index';
import {closeness, maxRelativeError, uniform} from './testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const EPS = 1e-7;
const N = 12;
const C = 5;

/** A float64 reference: per-sample losses and d(sum_i w_i·loss_i)/d yPred, rows of `cols` values. */
type Reference = (t: number[], p: number[], w: number[], cols: number) => {value: number[]; grad: number[]};

const rows = <T>(a: T[], cols: number) => Array.from({length: a.length / cols}, (_, r) => a.slice(r * cols, (r + 1) * cols));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const clip = (v: number) => Math.min(Math.max(v, EPS), 1 - EPS);
const inRange = (v: number) => (v >= EPS && v <= 1 - EPS ? 1 : 0);

const mseRef: Reference = (t, p, w, cols) => {
  const value = rows(p, cols).map((row, r) => row.reduce((s, v, j) => s + (t[r * cols + j]! - v) ** 2, 0) / cols);
  const grad = p.map((v, k) => (w[Math.floor(k / cols)]! * 2 * (v - t[k]!)) / cols);
  return {value, grad};
};

const bceRef: Reference = (t, p, w, cols) => {
  const elem = p.map((v, k) => -(t[k]! * Math.log(clip(v)) + (1 - t[k]!) * Math.log(1 - clip(v))));
  const value = rows(elem, cols).map((row) => row.reduce((a, b) => a + b, 0) / cols);
  const grad = p.map((v, k) => {
    const c = clip(v);
    return (w[Math.floor(k / cols)]! * inRange(v) * (-t[k]! / c + (1 - t[k]!) / (1 - c))) / cols;
  });
  return {value, grad};
};

const bceLogitsRef: Reference = (t, x, w, cols) => {
  const elem = x.map((v, k) => Math.max(v, 0) - v * t[k]! + Math.log1p(Math.exp(-Math.abs(v))));
  const value = rows(elem, cols).map((row) => row.reduce((a, b) => a + b, 0) / cols);
  const grad = x.map((v, k) => (w[Math.floor(k / cols)]! * (sigmoid(v) - t[k]!)) / cols);
  return {value, grad};
};

const cceRef: Reference = (t, p, w, cols) => {
  const value: number[] = [];
  const grad: number[] = [];
  rows(p, cols).forEach((row, r) => {
    const s = row.reduce((a, b) => a + b, 0);
    const q = row.map((v) => v / s);
    const tr = t.slice(r * cols, (r + 1) * cols);
    value.push(-q.reduce((acc, v, j) => acc + tr[j]! * Math.log(clip(v)), 0));
    const g = q.map((v, j) => (-tr[j]! / clip(v)) * inRange(v));
    const gq = g.reduce((acc, v, j) => acc + v * q[j]!, 0);
    grad.push(...g.map((v) => (w[r]! * (v - gq)) / s));
  });
  return {value, grad};
};

const logSoftmax = (row: number[]) => {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
};

const cceLogitsRef: Reference = (t, x, w, cols) => {
  const value: number[] = [];
  const grad: number[] = [];
  rows(x, cols).forEach((row, r) => {
    const ls = logSoftmax(row);
    const tr = t.slice(r * cols, (r + 1) * cols);
    const st = tr.reduce((a, b) => a + b, 0);
    value.push(-ls.reduce((acc, v, j) => acc + tr[j]! * v, 0));
    grad.push(...ls.map((v, j) => w[r]! * (Math.exp(v) * st - tr[j]!)));
  });
  return {value, grad};
};

/** `t` holds class ids (one per row). */
const sparseRef: Reference = (t, p, w, cols) => {
  const value: number[] = [];
  const grad: number[] = [];
  rows(p, cols).forEach((row, r) => {
    const c = row.map(clip);
    const s = c.reduce((a, b) => a + b, 0);
    const y = t[r]!;
    value.push(-Math.log(c[y]!) + Math.log(s));
    grad.push(...row.map((v, k) => w[r]! * inRange(v) * ((k === y ? -1 / c[k]! : 0) + 1 / s)));
  });
  return {value, grad};
};

const sparseLogitsRef: Reference = (t, x, w, cols) => {
  const value: number[] = [];
  const grad: number[] = [];
  rows(x, cols).forEach((row, r) => {
    const ls = logSoftmax(row);
    value.push(-ls[t[r]!]!);
    grad.push(...ls.map((v, k) => w[r]! * (Math.exp(v) - (k === t[r] ? 1 : 0))));
  });
  return {value, grad};
};

function oneHotRows(ids: number[], cols: number): number[] {
  return ids.flatMap((id) => Array.from({length: cols}, (_, j) => (j === id ? 1 : 0)));
}

type Case = {
  title: string;
  loss: Loss;
  reference: Reference;
  /** The targets, flat; the float64 reference reads them as they are (class ids for sparse). */
  yTrue: number[];
  /** `[N, C]` unless given. */
  trueShape?: number[];
  trueDType?: 'int32' | 'float32';
  yPred: number[];
  /** An independent tfjs implementation of the same per-sample loss, where one is equivalent. */
  oracle?: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;
};

const rnd = randomGenerator(2024);
const ids = Array.from({length: N}, (_, i) => (i * 7 + 3) % C);
const probs = uniform(rnd, N * C, 0.02, 1); // unnormalized, to exercise the normalization
const logits = uniform(rnd, N * C, -6, 6);
const softTargets = rows(uniform(rnd, N * C, 0, 1), C).flatMap((r) => {
  const s = r.reduce((a, b) => a + b, 0);
  return r.map((v) => Math.fround(v / s));
});
const binaryTargets = uniform(rnd, N * C, 0, 1).map((v, i) => (i % 3 === 0 ? Math.fround(v) : Math.round(v)));
const binaryProbs = uniform(rnd, N * C, 0.01, 0.99);
const regressionTrue = uniform(rnd, N * C, -3, 3);
const regressionPred = uniform(rnd, N * C, -3, 3);

const softmaxCE = (labels: tf.Tensor, x: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, x, undefined, 0, tf.Reduction.NONE);

const cases: Case[] = [
  {
    title: 'meanSquaredError',
    loss: meanSquaredError(),
    reference: mseRef,
    yTrue: regressionTrue,
    yPred: regressionPred,
    oracle: (t, p) => tfl.metrics.meanSquaredError(t, p),
  },
  {
    title: 'binaryCrossentropy (probabilities)',
    loss: binaryCrossentropy(),
    reference: bceRef,
    yTrue: binaryTargets,
    yPred: binaryProbs,
    oracle: (t, p) => tfl.metrics.binaryCrossentropy(t, p),
  },
  {
    title: 'binaryCrossentropy (fromLogits)',
    loss: binaryCrossentropy({fromLogits: true}),
    reference: bceLogitsRef,
    yTrue: binaryTargets,
    yPred: logits,
    oracle: (t, x) => tf.mean(tf.losses.sigmoidCrossEntropy(t, x, undefined, 0, tf.Reduction.NONE), -1),
  },
  {
    title: 'categoricalCrossentropy (probabilities, one-hot)',
    loss: categoricalCrossentropy(),
    reference: cceRef,
    yTrue: oneHotRows(ids, C),
    yPred: probs,
    oracle: (t, p) => tfl.metrics.categoricalCrossentropy(t, p),
  },
  {
    title: 'categoricalCrossentropy (probabilities, soft targets)',
    loss: categoricalCrossentropy(),
    reference: cceRef,
    yTrue: softTargets,
    yPred: probs,
    oracle: (t, p) => tfl.metrics.categoricalCrossentropy(t, p),
  },
  {
    title: 'categoricalCrossentropy (fromLogits)',
    loss: categoricalCrossentropy({fromLogits: true}),
    reference: cceLogitsRef,
    yTrue: oneHotRows(ids, C),
    yPred: logits,
    oracle: softmaxCE,
  },
  {
    title: 'categoricalCrossentropy (fromLogits, soft targets)',
    loss: categoricalCrossentropy({fromLogits: true}),
    reference: cceLogitsRef,
    yTrue: softTargets,
    yPred: logits,
  },
  {
    title: 'sparseCategoricalCrossentropy (probabilities, int32 [batch])',
    loss: sparseCategoricalCrossentropy(),
    reference: sparseRef,
    yTrue: ids,
    trueShape: [N],
    trueDType: 'int32',
    yPred: probs,
    oracle: (t, p) => tfl.metrics.categoricalCrossentropy(tf.oneHot(tf.cast(t, 'int32'), C), p),
  },
  {
    title: 'sparseCategoricalCrossentropy (probabilities, float32 [batch, 1])',
    loss: sparseCategoricalCrossentropy(),
    reference: sparseRef,
    yTrue: ids,
    trueShape: [N, 1],
    trueDType: 'float32',
    yPred: probs,
  },
  {
    title: 'sparseCategoricalCrossentropy (fromLogits, int32 [batch])',
    loss: sparseCategoricalCrossentropy({fromLogits: true}),
    reference: sparseLogitsRef,
    yTrue: ids,
    trueShape: [N],
    trueDType: 'int32',
    yPred: logits,
    oracle: (t, x) => softmaxCE(tf.oneHot(tf.cast(t, 'int32'), C), x),
  },
  {
    title: 'sparseCategoricalCrossentropy (fromLogits, float32 [batch, 1])',
    loss: sparseCategoricalCrossentropy({fromLogits: true}),
    reference: sparseLogitsRef,
    yTrue: ids,
    trueShape: [N, 1],
    trueDType: 'float32',
    yPred: logits,
  },
];

const weights = uniform(rnd, N, 0.1, 2);
const errors: string[] = [];

describe.each(cases)('$title', (c) => {
  const tensors = () => ({
    yTrue: tf.tensor(c.yTrue, c.trueShape ?? [N, C], c.trueDType ?? 'float32'),
    yPred: tf.tensor2d(c.yPred, [N, C]),
    w: tf.tensor1d(weights),
  });

  it('matches a float64 reference in value and gradient (relative error ≤ 1e-5)', () => {
    const {yTrue, yPred, w} = tensors();
    const value = c.loss(yTrue, yPred);
    const grad = tf.grad((p: tf.Tensor) => tf.sum(tf.mul(w, c.loss(yTrue, p))))(yPred);
    const ref = c.reference(c.yTrue, c.yPred, weights, C);
    expect(value.shape).toEqual([N]);
    expect(value.dtype).toBe('float32');
    errors.push(
      `${c.title}: value ${maxRelativeError(value.dataSync(), ref.value).toExponential(1)}, ` +
        `gradient ${closeness(grad.dataSync(), ref.grad, 1, 1e-9).toExponential(1)}`,
    );
    expect(closeness(value.dataSync(), ref.value, 1e-5, 0)).toBeLessThanOrEqual(1);
    // Gradient entries that cancel to ~0 get an absolute floor of 1e-5 of the largest one.
    const scale = Math.max(...ref.grad.map(Math.abs));
    expect(closeness(grad.dataSync(), ref.grad, 1e-5, 1e-9 * scale)).toBeLessThanOrEqual(1);
    tf.dispose([yTrue, yPred, w, value, grad]);
  });

  if (c.oracle) {
    it('matches the equivalent tfjs implementation in value and gradient', () => {
      const {yTrue, yPred, w} = tensors();
      const oracle = c.oracle!;
      const value = c.loss(yTrue, yPred);
      const expected = tf.tidy(() => oracle(yTrue, yPred));
      const grad = tf.grad((p: tf.Tensor) => tf.sum(tf.mul(w, c.loss(yTrue, p))))(yPred);
      const expectedGrad = tf.grad((p: tf.Tensor) => tf.sum(tf.mul(w, oracle(yTrue, p))))(yPred);
      expect(closeness(value.dataSync(), expected.dataSync(), 1e-5, 0)).toBeLessThanOrEqual(1);
      const scale = Math.max(...Array.from(expectedGrad.dataSync(), Math.abs));
      expect(closeness(grad.dataSync(), expectedGrad.dataSync(), 1e-5, 1e-5 * scale)).toBeLessThanOrEqual(1);
      tf.dispose([yTrue, yPred, w, value, expected, grad, expectedGrad]);
    });
  }

  it('leaks no tensors and disposes neither input', async () => {
    const {yTrue, yPred, w} = tensors();
    await expectNoTensorLeaks(() => {
      tf.dispose(c.loss(yTrue, yPred));
      tf.dispose(tf.grad((p: tf.Tensor) => tf.sum(tf.mul(w, c.loss(yTrue, p))))(yPred));
    });
    expect(yTrue.isDisposed || yPred.isDisposed).toBe(false);
    tf.dispose([yTrue, yPred, w]);
  });
});

describe('losses', () => {
  it('report their accuracy against float64', () => {
    // Printed for the record (the assertions are in the cases above).
    console.log(errors.join('\n'));
  });

  it('carry name, targetKind, fromLogits and spec', () => {
    const table = [
      [meanSquaredError(), 'meanSquaredError', 'regression', false, {}],
      [binaryCrossentropy(), 'binaryCrossentropy', 'binary', false, {fromLogits: false}],
      [binaryCrossentropy({fromLogits: true}), 'binaryCrossentropy', 'binary', true, {fromLogits: true}],
      [categoricalCrossentropy(), 'categoricalCrossentropy', 'categorical', false, {fromLogits: false}],
      [sparseCategoricalCrossentropy({fromLogits: true}), 'sparseCategoricalCrossentropy', 'sparse', true, {fromLogits: true}],
    ] as const;
    for (const [loss, name, kind, fromLogits, config] of table) {
      expect([loss.name, loss.targetKind, loss.fromLogits]).toEqual([name, kind, fromLogits]);
      expect(loss.spec).toEqual({id: `trellis/${name}`, config});
    }
    expect(() => binaryCrossentropy({fromLogits: 'yes' as never})).toThrow(ConfigError);
    expect(() => categoricalCrossentropy(3 as never)).toThrow(ConfigError);
  });

  it('clip probabilities to [1e-7, 1 - 1e-7] as Keras does, with zero gradient outside', () => {
    const yTrue = tf.tensor2d([[1, 0, 1, 0]]);
    const yPred = tf.tensor2d([[0, 1, 1, 0]]);
    const loss = binaryCrossentropy();
    const v = loss(yTrue, yPred).dataSync()[0]!;
    // In float32 the bounds are fround(1e-7) and fround(1 - 1e-7) = 1 - 1.19e-7 (TensorFlow rounds alike):
    // y=1,p=0 costs -log(1e-7); y=0,p=1 costs -log(1.19e-7); the two right answers cost ~1e-7.
    const lo = Math.fround(1e-7);
    const hi = Math.fround(1 - 1e-7);
    expect(v).toBeCloseTo((-Math.log(lo) - Math.log(1 - hi) - Math.log(hi) - Math.log(1 - lo)) / 4, 5);
    const g = tf.grad((p: tf.Tensor) => loss(yTrue, p))(yPred);
    expect(Array.from(g.dataSync())).toEqual([0, 0, 0, 0]);
    const cce = categoricalCrossentropy()(tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 0]]));
    expect(cce.dataSync()[0]).toBeCloseTo(-Math.log(1e-7), 4);
    tf.dispose([yTrue, yPred, g, cce]);
  });

  it('fromLogits paths stay exact for extreme logits (no clipping, no overflow)', () => {
    const cce = categoricalCrossentropy({fromLogits: true})(tf.tensor2d([[0, 1]]), tf.tensor2d([[200, 0]]));
    expect(cce.dataSync()[0]).toBeCloseTo(200, 3);
    const sparse = sparseCategoricalCrossentropy({fromLogits: true})(tf.tensor1d([1], 'int32'), tf.tensor2d([[200, 0]]));
    expect(sparse.dataSync()[0]).toBeCloseTo(200, 3);
    const bce = binaryCrossentropy({fromLogits: true})(tf.tensor2d([[1, 0]]), tf.tensor2d([[-100, 100]]));
    expect(bce.dataSync()[0]).toBeCloseTo(100, 3);
    expect(Array.from(bce.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([cce, sparse, bce]);
  });

  it('align [batch] targets with [batch, 1] predictions (and the reverse)', () => {
    for (const loss of [meanSquaredError(), binaryCrossentropy(), binaryCrossentropy({fromLogits: true})]) {
      const t1 = tf.tensor1d([0, 1, 1]);
      const t2 = tf.tensor2d([0, 1, 1], [3, 1]);
      const p1 = tf.tensor1d([0.2, 0.7, 0.9]);
      const p2 = tf.tensor2d([0.2, 0.7, 0.9], [3, 1]);
      const a = loss(t1, p2);
      const b = loss(t2, p2);
      const c = loss(t2, p1);
      const d = loss(t1, p1);
      expect(a.shape).toEqual([3]);
      for (const other of [b, c, d]) expect(Array.from(other.dataSync())).toEqual(Array.from(a.dataSync()));
      tf.dispose([t1, t2, p1, p2, a, b, c, d]);
    }
  });

  it('average extra middle axes into per-sample losses', () => {
    const r = randomGenerator(77);
    const t = uniform(r, 2 * 3 * 4, -1, 1);
    const p = uniform(r, 2 * 3 * 4, -1, 1);
    const mse = meanSquaredError()(tf.tensor3d(t, [2, 3, 4]), tf.tensor3d(p, [2, 3, 4]));
    const ref = [0, 1].map((b) => t.slice(b * 12, b * 12 + 12).reduce((s, v, j) => s + (v - p[b * 12 + j]!) ** 2, 0) / 12);
    expect(closeness(mse.dataSync(), ref, 1e-5, 0)).toBeLessThanOrEqual(1);
    const labels = tf.tensor2d([0, 3, 1, 2, 2, 0], [2, 3], 'int32');
    const x = tf.tensor3d(p, [2, 3, 4]);
    const sparse = sparseCategoricalCrossentropy({fromLogits: true})(labels, x);
    const perPosition = sparseLogitsRef([0, 3, 1, 2, 2, 0], p, [1, 1, 1, 1, 1, 1], 4).value;
    const sparseRefValues = [0, 1].map((b) => perPosition.slice(b * 3, b * 3 + 3).reduce((a, v) => a + v, 0) / 3);
    expect(sparse.shape).toEqual([2]);
    expect(closeness(sparse.dataSync(), sparseRefValues, 1e-5, 0)).toBeLessThanOrEqual(1);
    tf.dispose([mse, labels, x, sparse]);
  });

  it('throw ShapeError for mismatched targets, with a hint, and leak nothing', async () => {
    const p = tf.zeros([4, 3]);
    const sparseIds = tf.tensor1d([0, 1, 2, 0], 'int32');
    const oneHot = tf.oneHot(sparseIds, 3);
    const wrong = tf.zeros([4, 2]);
    await expectNoNewTensors(() => meanSquaredError()(wrong, p));
    expect(() => meanSquaredError()(wrong, p)).toThrow(ShapeError);
    expect(() => categoricalCrossentropy()(sparseIds, p)).toThrow(/use sparseCategoricalCrossentropy/);
    expect(() => sparseCategoricalCrossentropy()(oneHot, p)).toThrow(/use categoricalCrossentropy/);
    expect(() => sparseCategoricalCrossentropy()(sparseIds, tf.zeros([4]))).toThrow(ShapeError);
    expect(() => meanSquaredError()(p as never, 'x' as never)).toThrow(ConfigError);
    tf.dispose([p, sparseIds, oneHot, wrong]);
  });
});

describe('validateTargets', () => {
  it('accepts valid targets', () => {
    const ids = tf.tensor1d([0, 4, 2], 'int32');
    const idsColumn = tf.tensor2d([0, 4, 2], [3, 1]);
    const binary = tf.tensor2d([0, 1, 0.5], [3, 1]);
    sparseCategoricalCrossentropy().validateTargets!(ids, [3, 5]);
    sparseCategoricalCrossentropy().validateTargets!(idsColumn, [3, 5]);
    binaryCrossentropy().validateTargets!(binary, [3, 1]);
    const flat = tf.tensor1d([0, 1, 1]);
    binaryCrossentropy({fromLogits: true}).validateTargets!(flat, [3, 1]);
    flat.dispose();
    const big = tf.tensor2d([-5, 7, 1e6], [3, 1]);
    meanSquaredError().validateTargets!(big, [3]);
    tf.dispose([ids, idsColumn, binary, big]);
  });

  it('names out-of-range, non-integer, negative and NaN sparse labels and their index', () => {
    const loss = sparseCategoricalCrossentropy({fromLogits: true});
    const cases: [number[], RegExp][] = [
      [[0, 1, 5, 2, 7], /index \[2\] \(sample 2\) is 5, but sparse targets must be integer class ids in \[0, 5\) \(1 more bad target\)/],
      [[0, 1.5, 2], /index \[1\] \(sample 1\) is 1\.5/],
      [[0, -1, 2], /index \[1\] \(sample 1\) is -1/],
      [[0, 1, Number.NaN], /index \[2\] \(sample 2\) is NaN, but targets must be numbers/],
    ];
    for (const [labels, message] of cases) {
      const y = tf.tensor1d(labels);
      const error = catchError(() => loss.validateTargets!(y, [labels.length, 5]));
      expect(DataError.is(error)).toBe(true);
      expect(error.message).toMatch(message);
      y.dispose();
    }
    const column = tf.tensor2d([1, 9], [2, 1], 'int32');
    expect(catchError(() => loss.validateTargets!(column, [2, 5])).message).toMatch(/index \[1, 0\] \(sample 1\) is 9/);
    column.dispose();
  });

  it('requires binary and categorical targets in [0, 1], and finite regression targets', () => {
    const y = tf.tensor2d([0, 1, 2, 1], [2, 2]);
    const error = catchError(() => binaryCrossentropy({fromLogits: true}).validateTargets!(y, [2, 2]));
    expect(DataError.is(error)).toBe(true);
    expect(error.message).toMatch(/index \[1, 0\] \(sample 1\) is 2, but binary targets must lie in \[0, 1\]/);
    expect(() => categoricalCrossentropy().validateTargets!(y, [2, 2])).toThrow(DataError);
    const nan = tf.tensor2d([0, Number.NaN], [2, 1]);
    const inf = tf.tensor2d([Number.POSITIVE_INFINITY, 0], [2, 1]);
    expect(() => meanSquaredError().validateTargets!(nan, [2, 1])).toThrow(/is NaN/);
    expect(() => meanSquaredError().validateTargets!(inf, [2, 1])).toThrow(/must be finite/);
    expect(() => binaryCrossentropy().validateTargets!(nan, [2, 1])).toThrow(DataError);
    tf.dispose([y, nan, inf]);
  });

  it('throws ShapeError for targets that do not fit the predictions', () => {
    const ids = tf.tensor1d([0, 1, 2], 'int32');
    const oneHot = tf.oneHot(ids, 3);
    expect(() => sparseCategoricalCrossentropy().validateTargets!(oneHot, [3, 3])).toThrow(ShapeError);
    expect(() => sparseCategoricalCrossentropy().validateTargets!(ids, [4, 3])).toThrow(ShapeError);
    expect(() => categoricalCrossentropy().validateTargets!(ids, [3, 3])).toThrow(/use sparseCategoricalCrossentropy/);
    expect(() => meanSquaredError().validateTargets!(oneHot, [3, 2])).toThrow(ShapeError);
    expect(() => meanSquaredError().validateTargets!(oneHot, 'x' as never)).toThrow(ConfigError);
    tf.dispose([ids, oneHot]);
  });

  it('creates no tensors, even when it throws', async () => {
    const y = tf.tensor1d([0, 9], 'int32');
    await expectNoNewTensors(() => sparseCategoricalCrossentropy().validateTargets!(y, [2, 3]));
    await expectNoNewTensors(() => sparseCategoricalCrossentropy().validateTargets!(y, [2, 10]));
    y.dispose();
  });
});

describe('getLoss', () => {
  it('resolves names, the mse alias, Keras spellings and spec ids', () => {
    expect(getLoss('mse').spec.id).toBe('trellis/meanSquaredError');
    expect(getLoss('meanSquaredError').spec.id).toBe('trellis/meanSquaredError');
    expect(getLoss('binaryCrossentropy').spec).toEqual({id: 'trellis/binaryCrossentropy', config: {fromLogits: false}});
    expect(getLoss('categoricalCrossentropy').targetKind).toBe('categorical');
    expect(getLoss('sparseCategoricalCrossentropy').targetKind).toBe('sparse');
    expect(getLoss('sparse_categorical_crossentropy').targetKind).toBe('sparse');
    expect(getLoss('trellis/binaryCrossentropy').targetKind).toBe('binary');
    const loss = sparseCategoricalCrossentropy({fromLogits: true});
    expect(getLoss(loss)).toBe(loss);
  });

  it('throws UnknownIdError listing the names, and ConfigError for non-losses', () => {
    const error = catchError(() => getLoss('huber'));
    expect(UnknownIdError.is(error)).toBe(true);
    expect(error.message).toContain(lossNames.join(', '));
    expect(() => getLoss('constructor')).toThrow(UnknownIdError);
    expect(() => getLoss(((a: tf.Tensor) => a) as never)).toThrow(ConfigError);
    expect(() => getLoss(withSpec({id: 'acme/x', config: {}}, () => 0) as never)).toThrow(ConfigError);
    expect(() => getLoss(3 as never)).toThrow(ConfigError);
  });
});
