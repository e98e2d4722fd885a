import '../test/cpu-backend';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, DTypeError, DataError, ShapeError, UnknownIdError, createRegistry, withSpec, type Loss} from '@trellis/core';
import {catchError, catchErrorAsync, expectNoNewTensors, expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {describe, expect, it} from 'vitest';
import {getLoss, layersPlugin, losses, lossNames, lossReductions, reduceLoss} from './index';
import {closeness, maxRelativeError, uniform} from '../test/testing';
import {expectLossRoundTrip} from '../test/loss-round-trip';

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

/** Per-sample values of an element-wise loss: the mean of `elem(t, p)` over each row. */
const rowMeans = (t: number[], p: number[], cols: number, elem: (t: number, p: number) => number) =>
  rows(
    p.map((v, k) => elem(t[k]!, v)),
    cols,
  ).map((row) => row.reduce((a, b) => a + b, 0) / cols);

/**
 * A reference whose gradient is the float64 central difference of its values
 * (step 1e-6: truncation ~1e-12, rounding ~1e-10 relative, far below 1e-5).
 * Inputs stay away from kinks (|e| = delta, clip bounds, ties) by construction.
 */
function numeric(values: (t: number[], p: number[], cols: number) => number[]): Reference {
  return (t, p, w, cols) => {
    const value = values(t, p, cols);
    const grad = p.map((v, k) => {
      const r = Math.floor(k / cols);
      const h = 1e-6 * Math.max(1, Math.abs(v));
      const plus = [...p];
      const minus = [...p];
      plus[k] = v + h;
      minus[k] = v - h;
      return (w[r]! * (values(t, plus, cols)[r]! - values(t, minus, cols)[r]!)) / (2 * h);
    });
    return {value, grad};
  };
}

/** Keras' hinge labels: 0/1 batches become -1/1. */
const hingeTargets = (t: number[]) => (t.every((v) => v === 0 || v === 1) ? t.map((v) => 2 * v - 1) : t);
const maeRef = numeric((t, p, c) => rowMeans(t, p, c, (a, b) => Math.abs(a - b)));
const mapeRef = numeric((t, p, c) => rowMeans(t, p, c, (a, b) => 100 * Math.abs((a - b) / Math.max(Math.abs(a), EPS))));
const msleRef = numeric((t, p, c) => rowMeans(t, p, c, (a, b) => (Math.log(Math.max(b, EPS) + 1) - Math.log(Math.max(a, EPS) + 1)) ** 2));
const huberRef = (delta: number) =>
  numeric((t, p, c) =>
    rowMeans(t, p, c, (a, b) => {
      const e = Math.abs(b - a);
      return e <= delta ? 0.5 * e * e : delta * e - 0.5 * delta * delta;
    }),
  );
const logCoshRef = numeric((t, p, c) => rowMeans(t, p, c, (a, b) => Math.log(Math.cosh(b - a))));
const poissonRef = numeric((t, p, c) => rowMeans(t, p, c, (a, b) => b - a * Math.log(b + EPS)));
const hingeRef = numeric((t, p, c) => rowMeans(hingeTargets(t), p, c, (a, b) => Math.max(1 - a * b, 0)));
const squaredHingeRef = numeric((t, p, c) => rowMeans(hingeTargets(t), p, c, (a, b) => Math.max(1 - a * b, 0) ** 2));
const categoricalHingeRef = numeric((t, p, c) =>
  rows(p, c).map((row, r) => {
    const tr = t.slice(r * c, (r + 1) * c);
    const pos = row.reduce((a, v, j) => a + tr[j]! * v, 0);
    const neg = Math.max(...row.map((v, j) => (1 - tr[j]!) * v));
    return Math.max(neg - pos + 1, 0);
  }),
);
const kldRef = numeric((t, p, c) =>
  rows(p, c).map((row, r) =>
    row.reduce((a, v, j) => {
      const y = Math.min(Math.max(t[r * c + j]!, EPS), 1);
      return a + y * Math.log(y / Math.min(Math.max(v, EPS), 1));
    }, 0),
  ),
);
const cosineRef = numeric((t, p, c) =>
  rows(p, c).map((row, r) => {
    const tr = t.slice(r * c, (r + 1) * c);
    const norm = (v: number[]) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));
    return -row.reduce((a, v, j) => a + tr[j]! * v, 0) / (norm(row) * norm(tr));
  }),
);
const smoothBinary = (s: number) => (t: number[]) => t.map((v) => v * (1 - s) + 0.5 * s);
const smoothCategorical = (s: number, cols: number) => (t: number[]) => t.map((v) => v * (1 - s) + s / cols);
/** `ref` applied to transformed targets. */
const onTargets =
  (transform: (t: number[]) => number[], ref: Reference): Reference =>
  (t, p, w, c) =>
    ref(transform(t), p, w, c);

type FocalOptions = {gamma: number; alpha: number; balance?: boolean; logits: boolean; smoothing: number};
const binaryFocalRef = (o: FocalOptions) =>
  numeric((t, x, c) =>
    rowMeans(smoothBinary(o.smoothing)(t), x, c, (y, v) => {
      const p = o.logits ? sigmoid(v) : v;
      const q = clip(p);
      const bce = -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
      const pT = y * p + (1 - y) * (1 - p);
      const weight = o.balance ? y * o.alpha + (1 - y) * (1 - o.alpha) : 1;
      return weight * (1 - pT) ** o.gamma * bce;
    }),
  );
const categoricalFocalRef = (o: FocalOptions) =>
  numeric((t, x, c) =>
    rows(x, c).map((row, r) => {
      const y = smoothCategorical(o.smoothing, c)(t.slice(r * c, (r + 1) * c));
      const p = o.logits ? logSoftmax(row).map(Math.exp) : row;
      const s = p.reduce((a, b) => a + b, 0);
      return p.reduce((a, v, j) => {
        const q = clip(v / s);
        return a + o.alpha * (1 - q) ** o.gamma * -y[j]! * Math.log(q);
      }, 0);
    }),
  );

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
/** Away from 0, either sign (percentage errors divide by |yTrue|). */
const awayFromZero = uniform(rnd, N * C, 0.5, 3).map((v, i) => (i % 2 === 0 ? v : -v));
const positive = uniform(rnd, N * C, 0.01, 4);
const counts = uniform(rnd, N * C, 0, 6).map(Math.floor);
const signs = uniform(rnd, N * C, 0, 1).map((v) => (v < 0.5 ? -1 : 1));
const scores = uniform(rnd, N * C, -2, 2);

const softmaxCE = (labels: tf.Tensor, x: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, x, undefined, 0, tf.Reduction.NONE);

const cases: Case[] = [
  {
    title: 'meanSquaredError',
    loss: losses.meanSquaredError(),
    reference: mseRef,
    yTrue: regressionTrue,
    yPred: regressionPred,
    oracle: (t, p) => tfl.metrics.meanSquaredError(t, p),
  },
  {
    title: 'binaryCrossentropy (probabilities)',
    loss: losses.binaryCrossentropy(),
    reference: bceRef,
    yTrue: binaryTargets,
    yPred: binaryProbs,
    oracle: (t, p) => tfl.metrics.binaryCrossentropy(t, p),
  },
  {
    title: 'binaryCrossentropy (fromLogits)',
    loss: losses.binaryCrossentropy({fromLogits: true}),
    reference: bceLogitsRef,
    yTrue: binaryTargets,
    yPred: logits,
    oracle: (t, x) => tf.mean(tf.losses.sigmoidCrossEntropy(t, x, undefined, 0, tf.Reduction.NONE), -1),
  },
  {
    title: 'categoricalCrossentropy (probabilities, one-hot)',
    loss: losses.categoricalCrossentropy(),
    reference: cceRef,
    yTrue: oneHotRows(ids, C),
    yPred: probs,
    oracle: (t, p) => tfl.metrics.categoricalCrossentropy(t, p),
  },
  {
    title: 'categoricalCrossentropy (probabilities, soft targets)',
    loss: losses.categoricalCrossentropy(),
    reference: cceRef,
    yTrue: softTargets,
    yPred: probs,
    oracle: (t, p) => tfl.metrics.categoricalCrossentropy(t, p),
  },
  {
    title: 'categoricalCrossentropy (fromLogits)',
    loss: losses.categoricalCrossentropy({fromLogits: true}),
    reference: cceLogitsRef,
    yTrue: oneHotRows(ids, C),
    yPred: logits,
    oracle: softmaxCE,
  },
  {
    title: 'categoricalCrossentropy (fromLogits, soft targets)',
    loss: losses.categoricalCrossentropy({fromLogits: true}),
    reference: cceLogitsRef,
    yTrue: softTargets,
    yPred: logits,
  },
  {
    title: 'sparseCategoricalCrossentropy (probabilities, int32 [batch])',
    loss: losses.sparseCategoricalCrossentropy(),
    reference: sparseRef,
    yTrue: ids,
    trueShape: [N],
    trueDType: 'int32',
    yPred: probs,
    oracle: (t, p) => tfl.metrics.categoricalCrossentropy(tf.oneHot(tf.cast(t, 'int32'), C), p),
  },
  {
    title: 'sparseCategoricalCrossentropy (probabilities, float32 [batch, 1])',
    loss: losses.sparseCategoricalCrossentropy(),
    reference: sparseRef,
    yTrue: ids,
    trueShape: [N, 1],
    trueDType: 'float32',
    yPred: probs,
  },
  {
    title: 'sparseCategoricalCrossentropy (fromLogits, int32 [batch])',
    loss: losses.sparseCategoricalCrossentropy({fromLogits: true}),
    reference: sparseLogitsRef,
    yTrue: ids,
    trueShape: [N],
    trueDType: 'int32',
    yPred: logits,
    oracle: (t, x) => softmaxCE(tf.oneHot(tf.cast(t, 'int32'), C), x),
  },
  {
    title: 'sparseCategoricalCrossentropy (fromLogits, float32 [batch, 1])',
    loss: losses.sparseCategoricalCrossentropy({fromLogits: true}),
    reference: sparseLogitsRef,
    yTrue: ids,
    trueShape: [N, 1],
    trueDType: 'float32',
    yPred: logits,
  },
  {title: 'meanAbsoluteError', loss: losses.meanAbsoluteError(), reference: maeRef, yTrue: regressionTrue, yPred: regressionPred},
  {
    title: 'meanAbsolutePercentageError',
    loss: losses.meanAbsolutePercentageError(),
    reference: mapeRef,
    yTrue: awayFromZero,
    yPred: regressionPred,
  },
  {
    title: 'meanSquaredLogarithmicError (negative values floored at 1e-7)',
    loss: losses.meanSquaredLogarithmicError(),
    reference: msleRef,
    yTrue: positive,
    yPred: regressionPred,
  },
  {title: 'huber (delta 1)', loss: losses.huber(), reference: huberRef(1), yTrue: regressionTrue, yPred: regressionPred},
  {title: 'huber (delta 2.5)', loss: losses.huber({delta: 2.5}), reference: huberRef(2.5), yTrue: regressionTrue, yPred: regressionPred},
  {title: 'logCosh', loss: losses.logCosh(), reference: logCoshRef, yTrue: regressionTrue, yPred: regressionPred},
  {title: 'poisson', loss: losses.poisson(), reference: poissonRef, yTrue: counts, yPred: positive},
  {title: 'hinge (-1/1 targets)', loss: losses.hinge(), reference: hingeRef, yTrue: signs, yPred: scores},
  {
    title: 'hinge (0/1 targets, mapped to -1/1)',
    loss: losses.hinge(),
    reference: hingeRef,
    yTrue: signs.map((v) => (v + 1) / 2),
    yPred: scores,
  },
  {title: 'hinge (real targets, kept)', loss: losses.hinge(), reference: hingeRef, yTrue: regressionTrue, yPred: scores},
  {
    title: 'squaredHinge (0/1 targets)',
    loss: losses.squaredHinge(),
    reference: squaredHingeRef,
    yTrue: binaryTargets.map(Math.round),
    yPred: scores,
  },
  {title: 'squaredHinge (-1/1 targets)', loss: losses.squaredHinge(), reference: squaredHingeRef, yTrue: signs, yPred: scores},
  {
    title: 'categoricalHinge',
    loss: losses.categoricalHinge(),
    reference: categoricalHingeRef,
    yTrue: oneHotRows(ids, C),
    yPred: scores,
  },
  {
    title: 'kullbackLeiblerDivergence',
    loss: losses.kullbackLeiblerDivergence(),
    reference: kldRef,
    yTrue: softTargets,
    yPred: rows(probs, C).flatMap((r) => r.map((v) => Math.fround(v / r.reduce((a, b) => a + b, 0)))),
  },
  {title: 'cosineSimilarity', loss: losses.cosineSimilarity(), reference: cosineRef, yTrue: regressionTrue, yPred: regressionPred},
  {
    title: 'binaryCrossentropy (labelSmoothing 0.2)',
    loss: losses.binaryCrossentropy({labelSmoothing: 0.2}),
    reference: onTargets(smoothBinary(0.2), bceRef),
    yTrue: binaryTargets,
    yPred: binaryProbs,
  },
  {
    title: 'binaryCrossentropy (fromLogits, labelSmoothing 0.1)',
    loss: losses.binaryCrossentropy({fromLogits: true, labelSmoothing: 0.1}),
    reference: onTargets(smoothBinary(0.1), bceLogitsRef),
    yTrue: binaryTargets,
    yPred: logits,
  },
  {
    title: 'categoricalCrossentropy (labelSmoothing 0.3)',
    loss: losses.categoricalCrossentropy({labelSmoothing: 0.3}),
    reference: onTargets(smoothCategorical(0.3, C), cceRef),
    yTrue: oneHotRows(ids, C),
    yPred: probs,
  },
  {
    title: 'categoricalCrossentropy (fromLogits, labelSmoothing 0.1)',
    loss: losses.categoricalCrossentropy({fromLogits: true, labelSmoothing: 0.1}),
    reference: onTargets(smoothCategorical(0.1, C), cceLogitsRef),
    yTrue: oneHotRows(ids, C),
    yPred: logits,
  },
  {
    title: 'binaryFocalCrossentropy (defaults)',
    loss: losses.binaryFocalCrossentropy(),
    reference: binaryFocalRef({gamma: 2, alpha: 0.25, logits: false, smoothing: 0}),
    yTrue: binaryTargets,
    yPred: binaryProbs,
  },
  {
    title: 'binaryFocalCrossentropy (class balancing, alpha 0.4, gamma 1.5, labelSmoothing 0.1)',
    loss: losses.binaryFocalCrossentropy({applyClassBalancing: true, alpha: 0.4, gamma: 1.5, labelSmoothing: 0.1}),
    reference: binaryFocalRef({gamma: 1.5, alpha: 0.4, balance: true, logits: false, smoothing: 0.1}),
    yTrue: binaryTargets,
    yPred: binaryProbs,
  },
  {
    title: 'binaryFocalCrossentropy (fromLogits, gamma 0)',
    loss: losses.binaryFocalCrossentropy({fromLogits: true, gamma: 0}),
    reference: binaryFocalRef({gamma: 0, alpha: 0.25, logits: true, smoothing: 0}),
    yTrue: binaryTargets,
    yPred: uniform(rnd, N * C, -4, 4),
  },
  {
    title: 'categoricalFocalCrossentropy (defaults)',
    loss: losses.categoricalFocalCrossentropy(),
    reference: categoricalFocalRef({gamma: 2, alpha: 0.25, logits: false, smoothing: 0}),
    yTrue: oneHotRows(ids, C),
    yPred: probs,
  },
  {
    title: 'categoricalFocalCrossentropy (fromLogits, alpha 1, gamma 3, labelSmoothing 0.2)',
    loss: losses.categoricalFocalCrossentropy({fromLogits: true, alpha: 1, gamma: 3, labelSmoothing: 0.2}),
    reference: categoricalFocalRef({gamma: 3, alpha: 1, logits: true, smoothing: 0.2}),
    yTrue: softTargets,
    yPred: uniform(rnd, N * C, -3, 3),
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
    // Gradient entries that cancel to ~0 get an absolute floor of 1e-7 of the largest one (a float32 ulp).
    const scale = Math.max(...ref.grad.map(Math.abs));
    expect(closeness(grad.dataSync(), ref.grad, 1e-5, 1e-7 * scale)).toBeLessThanOrEqual(1);
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
      [losses.meanSquaredError(), 'meanSquaredError', 'regression', false, {}],
      [losses.binaryCrossentropy(), 'binaryCrossentropy', 'binary', false, {fromLogits: false, labelSmoothing: 0}],
      [losses.binaryCrossentropy({fromLogits: true}), 'binaryCrossentropy', 'binary', true, {fromLogits: true, labelSmoothing: 0}],
      [losses.categoricalCrossentropy(), 'categoricalCrossentropy', 'categorical', false, {fromLogits: false, labelSmoothing: 0, axis: -1}],
      [
        losses.sparseCategoricalCrossentropy({fromLogits: true}),
        'sparseCategoricalCrossentropy',
        'sparse',
        true,
        {fromLogits: true, axis: -1},
      ],
      [losses.meanAbsoluteError(), 'meanAbsoluteError', 'regression', false, {}],
      [losses.meanAbsolutePercentageError(), 'meanAbsolutePercentageError', 'regression', false, {}],
      [losses.meanSquaredLogarithmicError(), 'meanSquaredLogarithmicError', 'regression', false, {}],
      [losses.huber(), 'huber', 'regression', false, {delta: 1}],
      [losses.logCosh(), 'logCosh', 'regression', false, {}],
      [losses.poisson(), 'poisson', 'regression', false, {}],
      [losses.cosineSimilarity(), 'cosineSimilarity', 'regression', false, {axis: -1}],
      [losses.hinge(), 'hinge', 'regression', false, {}],
      [losses.squaredHinge(), 'squaredHinge', 'regression', false, {}],
      [losses.categoricalHinge(), 'categoricalHinge', 'categorical', false, {}],
      [losses.kullbackLeiblerDivergence(), 'kullbackLeiblerDivergence', 'categorical', false, {}],
      [
        losses.binaryFocalCrossentropy(),
        'binaryFocalCrossentropy',
        'binary',
        false,
        {applyClassBalancing: false, alpha: 0.25, gamma: 2, fromLogits: false, labelSmoothing: 0},
      ],
      [
        losses.categoricalFocalCrossentropy({fromLogits: true}),
        'categoricalFocalCrossentropy',
        'categorical',
        true,
        {alpha: 0.25, gamma: 2, fromLogits: true, labelSmoothing: 0, axis: -1},
      ],
    ] as const;
    for (const [loss, name, kind, fromLogits, config] of table) {
      expect([loss.name, loss.targetKind, loss.fromLogits]).toEqual([name, kind, fromLogits]);
      expect(loss.spec).toEqual({id: `trellis/${name}`, config});
    }
    expect(() => losses.binaryCrossentropy({fromLogits: 'yes' as never})).toThrow(ConfigError);
    expect(() => losses.categoricalCrossentropy(3 as never)).toThrow(ConfigError);
  });

  it('clip probabilities to [1e-7, 1 - 1e-7] as Keras does, with zero gradient outside', () => {
    const yTrue = tf.tensor2d([[1, 0, 1, 0]]);
    const yPred = tf.tensor2d([[0, 1, 1, 0]]);
    const loss = losses.binaryCrossentropy();
    const v = loss(yTrue, yPred).dataSync()[0]!;
    // In float32 the bounds are fround(1e-7) and fround(1 - 1e-7) = 1 - 1.19e-7 (TensorFlow rounds alike):
    // y=1,p=0 costs -log(1e-7); y=0,p=1 costs -log(1.19e-7); the two right answers cost ~1e-7.
    const lo = Math.fround(1e-7);
    const hi = Math.fround(1 - 1e-7);
    expect(v).toBeCloseTo((-Math.log(lo) - Math.log(1 - hi) - Math.log(hi) - Math.log(1 - lo)) / 4, 5);
    const g = tf.grad((p: tf.Tensor) => loss(yTrue, p))(yPred);
    expect(Array.from(g.dataSync())).toEqual([0, 0, 0, 0]);
    const cce = losses.categoricalCrossentropy()(tf.tensor2d([[0, 1]]), tf.tensor2d([[1, 0]]));
    expect(cce.dataSync()[0]).toBeCloseTo(-Math.log(1e-7), 4);
    tf.dispose([yTrue, yPred, g, cce]);
  });

  it('fromLogits paths stay exact for extreme logits (no clipping, no overflow)', () => {
    const cce = losses.categoricalCrossentropy({fromLogits: true})(tf.tensor2d([[0, 1]]), tf.tensor2d([[200, 0]]));
    expect(cce.dataSync()[0]).toBeCloseTo(200, 3);
    const sparse = losses.sparseCategoricalCrossentropy({fromLogits: true})(tf.tensor1d([1], 'int32'), tf.tensor2d([[200, 0]]));
    expect(sparse.dataSync()[0]).toBeCloseTo(200, 3);
    const bce = losses.binaryCrossentropy({fromLogits: true})(tf.tensor2d([[1, 0]]), tf.tensor2d([[-100, 100]]));
    expect(bce.dataSync()[0]).toBeCloseTo(100, 3);
    expect(Array.from(bce.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([cce, sparse, bce]);
  });

  it('align [batch] targets with [batch, 1] predictions (and the reverse)', () => {
    for (const loss of [losses.meanSquaredError(), losses.binaryCrossentropy(), losses.binaryCrossentropy({fromLogits: true})]) {
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
    const mse = losses.meanSquaredError()(tf.tensor3d(t, [2, 3, 4]), tf.tensor3d(p, [2, 3, 4]));
    const ref = [0, 1].map((b) => t.slice(b * 12, b * 12 + 12).reduce((s, v, j) => s + (v - p[b * 12 + j]!) ** 2, 0) / 12);
    expect(closeness(mse.dataSync(), ref, 1e-5, 0)).toBeLessThanOrEqual(1);
    const labels = tf.tensor2d([0, 3, 1, 2, 2, 0], [2, 3], 'int32');
    const x = tf.tensor3d(p, [2, 3, 4]);
    const sparse = losses.sparseCategoricalCrossentropy({fromLogits: true})(labels, x);
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
    await expectNoNewTensors(() => losses.meanSquaredError()(wrong, p));
    expect(() => losses.meanSquaredError()(wrong, p)).toThrow(ShapeError);
    expect(() => losses.categoricalCrossentropy()(sparseIds, p)).toThrow(/use sparseCategoricalCrossentropy/);
    expect(() => losses.sparseCategoricalCrossentropy()(oneHot, p)).toThrow(/use categoricalCrossentropy/);
    expect(() => losses.sparseCategoricalCrossentropy()(sparseIds, tf.zeros([4]))).toThrow(ShapeError);
    expect(() => losses.meanSquaredError()(p as never, 'x' as never)).toThrow(ConfigError);
    tf.dispose([p, sparseIds, oneHot, wrong]);
  });
});

describe('validateTargets', () => {
  it('accepts valid targets', async () => {
    const ids = tf.tensor1d([0, 4, 2], 'int32');
    const idsColumn = tf.tensor2d([0, 4, 2], [3, 1]);
    const binary = tf.tensor2d([0, 1, 0.5], [3, 1]);
    await losses.sparseCategoricalCrossentropy().validateTargets!(ids, [3, 5]);
    await losses.sparseCategoricalCrossentropy().validateTargets!(idsColumn, [3, 5]);
    await losses.binaryCrossentropy().validateTargets!(binary, [3, 1]);
    const flat = tf.tensor1d([0, 1, 1]);
    await losses.binaryCrossentropy({fromLogits: true}).validateTargets!(flat, [3, 1]);
    flat.dispose();
    const big = tf.tensor2d([-5, 7, 1e6], [3, 1]);
    await losses.meanSquaredError().validateTargets!(big, [3]);
    tf.dispose([ids, idsColumn, binary, big]);
  });

  it('names out-of-range, non-integer, negative and NaN sparse labels and their index', async () => {
    const loss = losses.sparseCategoricalCrossentropy({fromLogits: true});
    const cases: [number[], RegExp][] = [
      [[0, 1, 5, 2, 7], /index \[2\] \(sample 2\) is 5, but sparse targets must be integer class ids in \[0, 5\) \(1 more bad target\)/],
      [[0, 1.5, 2], /index \[1\] \(sample 1\) is 1\.5/],
      [[0, -1, 2], /index \[1\] \(sample 1\) is -1/],
      [[0, 1, Number.NaN], /index \[2\] \(sample 2\) is NaN, but targets must be numbers/],
    ];
    for (const [labels, message] of cases) {
      const y = tf.tensor1d(labels);
      const error = await catchErrorAsync(async () => loss.validateTargets!(y, [labels.length, 5]));
      expect(DataError.is(error)).toBe(true);
      expect(error.message).toMatch(message);
      y.dispose();
    }
    const column = tf.tensor2d([1, 9], [2, 1], 'int32');
    expect((await catchErrorAsync(async () => loss.validateTargets!(column, [2, 5]))).message).toMatch(/index \[1, 0\] \(sample 1\) is 9/);
    column.dispose();
  });

  it('requires binary and categorical targets in [0, 1], and finite regression targets', async () => {
    const y = tf.tensor2d([0, 1, 2, 1], [2, 2]);
    const error = await catchErrorAsync(async () => losses.binaryCrossentropy({fromLogits: true}).validateTargets!(y, [2, 2]));
    expect(DataError.is(error)).toBe(true);
    expect(error.message).toMatch(/index \[1, 0\] \(sample 1\) is 2, but binary targets must lie in \[0, 1\]/);
    await expect(async () => losses.categoricalCrossentropy().validateTargets!(y, [2, 2])).rejects.toThrow(DataError);
    const nan = tf.tensor2d([0, Number.NaN], [2, 1]);
    const inf = tf.tensor2d([Number.POSITIVE_INFINITY, 0], [2, 1]);
    await expect(async () => losses.meanSquaredError().validateTargets!(nan, [2, 1])).rejects.toThrow(/is NaN/);
    await expect(async () => losses.meanSquaredError().validateTargets!(inf, [2, 1])).rejects.toThrow(/must be finite/);
    await expect(async () => losses.binaryCrossentropy().validateTargets!(nan, [2, 1])).rejects.toThrow(DataError);
    tf.dispose([y, nan, inf]);
  });

  it('rejects with a ShapeError targets that do not fit the predictions', async () => {
    const ids = tf.tensor1d([0, 1, 2], 'int32');
    const oneHot = tf.oneHot(ids, 3);
    await expect(async () => losses.sparseCategoricalCrossentropy().validateTargets!(oneHot, [3, 3])).rejects.toThrow(ShapeError);
    await expect(async () => losses.sparseCategoricalCrossentropy().validateTargets!(ids, [4, 3])).rejects.toThrow(ShapeError);
    await expect(async () => losses.categoricalCrossentropy().validateTargets!(ids, [3, 3])).rejects.toThrow(
      /use sparseCategoricalCrossentropy/,
    );
    await expect(async () => losses.meanSquaredError().validateTargets!(oneHot, [3, 2])).rejects.toThrow(ShapeError);
    await expect(async () => losses.meanSquaredError().validateTargets!(oneHot, 'x' as never)).rejects.toThrow(ConfigError);
    // Every problem is a rejection, never a synchronous throw: the fit loop awaits the check.
    const pending = losses.sparseCategoricalCrossentropy().validateTargets!(oneHot, [3, 3]);
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toThrow(ShapeError);
    tf.dispose([ids, oneHot]);
  });

  it('creates no tensors, even when it throws', async () => {
    const y = tf.tensor1d([0, 9], 'int32');
    await expectNoNewTensors(() => losses.sparseCategoricalCrossentropy().validateTargets!(y, [2, 3]));
    await expectNoNewTensors(() => losses.sparseCategoricalCrossentropy().validateTargets!(y, [2, 10]));
    y.dispose();
  });
});

describe('getLoss', () => {
  it('resolves names, the mse alias, Keras spellings and spec ids', () => {
    expect(getLoss('mse').spec.id).toBe('trellis/meanSquaredError');
    expect(getLoss('meanSquaredError').spec.id).toBe('trellis/meanSquaredError');
    expect(getLoss('binaryCrossentropy').spec).toEqual({
      id: 'trellis/binaryCrossentropy',
      config: {fromLogits: false, labelSmoothing: 0},
    });
    expect(getLoss('categoricalCrossentropy').targetKind).toBe('categorical');
    expect(getLoss('sparseCategoricalCrossentropy').targetKind).toBe('sparse');
    expect(getLoss('sparse_categorical_crossentropy').targetKind).toBe('sparse');
    expect(getLoss('trellis/binaryCrossentropy').targetKind).toBe('binary');
    const loss = losses.sparseCategoricalCrossentropy({fromLogits: true});
    expect(getLoss(loss)).toBe(loss);
  });

  it('throws UnknownIdError listing the names, and ConfigError for non-losses', () => {
    const error = catchError(() => getLoss('dice'));
    expect(UnknownIdError.is(error)).toBe(true);
    expect(error.message).toContain(lossNames.join(', '));
    expect(() => getLoss('constructor')).toThrow(UnknownIdError);
    expect(() => getLoss(((a: tf.Tensor) => a) as never)).toThrow(ConfigError);
    expect(() => getLoss(withSpec({id: 'acme/x', config: {}}, () => 0) as never)).toThrow(ConfigError);
    expect(() => getLoss(3 as never)).toThrow(ConfigError);
  });
});

describe('new losses: specs, registry and options', () => {
  const everyLoss = (): Loss[] => [
    losses.meanAbsoluteError(),
    losses.meanAbsolutePercentageError(),
    losses.meanSquaredLogarithmicError(),
    losses.huber({delta: 0.5}),
    losses.logCosh(),
    losses.poisson(),
    losses.cosineSimilarity({axis: 1}),
    losses.hinge(),
    losses.squaredHinge(),
    losses.categoricalHinge(),
    losses.kullbackLeiblerDivergence(),
    losses.binaryCrossentropy({fromLogits: true, labelSmoothing: 0.1}),
    losses.binaryFocalCrossentropy({applyClassBalancing: true, alpha: 0.3, gamma: 1, fromLogits: true, labelSmoothing: 0.2}),
    losses.categoricalCrossentropy({labelSmoothing: 0.1, axis: 1}),
    losses.categoricalFocalCrossentropy({alpha: 0.5, gamma: 0, fromLogits: true, labelSmoothing: 0.05, axis: 1}),
    losses.sparseCategoricalCrossentropy({fromLogits: true, axis: 1}),
  ];

  it('round-trip every spec through the registry to an equal loss that computes the same', () => {
    const registry = createRegistry(layersPlugin);
    const yPred = tf.tensor2d([0.2, 0.3, 0.5, 0.6, 0.3, 0.1], [2, 3]);
    for (const loss of everyLoss()) {
      expectLossRoundTrip(registry, loss, yPred, (a) => {
        expect(a.shape).toEqual([2]);
        expect(Array.from(a.dataSync()).every(Number.isFinite)).toBe(true);
      });
    }
    yPred.dispose();
  });

  it('resolve every name of lossNames, the Keras spellings and the registry ids', () => {
    const registry = createRegistry(layersPlugin);
    for (const name of lossNames) {
      const loss = getLoss(name);
      expect(registry.resolve('loss', loss.spec.id).spec).toEqual(loss.spec);
    }
    const keras: [string, string][] = [
      ['mae', 'meanAbsoluteError'],
      ['mean_absolute_percentage_error', 'meanAbsolutePercentageError'],
      ['msle', 'meanSquaredLogarithmicError'],
      ['log_cosh', 'logCosh'],
      ['logcosh', 'logCosh'],
      ['kl_divergence', 'kullbackLeiblerDivergence'],
      ['kld', 'kullbackLeiblerDivergence'],
      ['squared_hinge', 'squaredHinge'],
      ['categorical_hinge', 'categoricalHinge'],
      ['cosine_similarity', 'cosineSimilarity'],
      ['binary_focal_crossentropy', 'binaryFocalCrossentropy'],
      ['categorical_focal_crossentropy', 'categoricalFocalCrossentropy'],
      ['trellis/huber', 'huber'],
      ['poisson', 'poisson'],
    ];
    for (const [alias, name] of keras) expect(getLoss(alias).spec.id).toBe(`trellis/${name}`);
    expect(getLoss('huber').spec.config).toEqual({delta: 1});
  });

  it('throw ConfigError for bad options, naming the option and the allowed range', () => {
    const bad: [() => unknown, RegExp][] = [
      [() => losses.huber({delta: -1}), /huber: delta must be a number > 0; got -1/],
      [() => losses.huber({delta: 0}), /delta must be a number > 0/],
      [() => losses.huber({delta: Number.NaN}), /delta/],
      [() => losses.huber('big' as never), /huber expects an options object/],
      [() => losses.binaryCrossentropy({labelSmoothing: 1.5}), /labelSmoothing must be a number in \[0, 1\]; got 1.5/],
      [() => losses.binaryCrossentropy({labelSmoothing: -0.1}), /labelSmoothing/],
      [() => losses.categoricalCrossentropy({labelSmoothing: '0.1' as never}), /labelSmoothing/],
      [() => losses.categoricalCrossentropy({axis: 0}), /axis must be a non-zero integer/],
      [() => losses.categoricalCrossentropy({axis: 1.5}), /axis/],
      [() => losses.sparseCategoricalCrossentropy({axis: true as never}), /axis/],
      [() => losses.sparseCategoricalCrossentropy({fromLogits: 'no' as never}), /fromLogits must be a boolean/],
      [() => losses.cosineSimilarity({axis: 0}), /cosineSimilarity: axis/],
      [() => losses.binaryFocalCrossentropy({gamma: -1}), /gamma must be a number >= 0/],
      [() => losses.binaryFocalCrossentropy({alpha: 2}), /alpha must be a number in \[0, 1\]/],
      [() => losses.binaryFocalCrossentropy({applyClassBalancing: 1 as never}), /applyClassBalancing must be a boolean/],
      [() => losses.binaryFocalCrossentropy({labelSmoothing: 2}), /labelSmoothing/],
      [() => losses.categoricalFocalCrossentropy({alpha: -0.5}), /alpha must be a number >= 0/],
      [() => losses.categoricalFocalCrossentropy({gamma: Infinity}), /gamma/],
      [() => losses.categoricalFocalCrossentropy([] as never), /expects an options object/],
    ];
    for (const [make, message] of bad) {
      const error = catchError(make);
      expect(ConfigError.is(error)).toBe(true);
      expect(error.message).toMatch(message);
    }
    const registry = createRegistry(layersPlugin);
    expect(() => registry.resolve('loss', {id: 'trellis/huber', config: {delta: -2}})).toThrow(ConfigError);
    expect(() => registry.resolve('loss', {id: 'trellis/categoricalFocalCrossentropy', config: {axis: 0}})).toThrow(ConfigError);
  });

  it('hinge losses map 0/1 targets to -1/1 only when the whole batch is 0/1 (Keras 3)', () => {
    const p = tf.tensor2d([0.5, -2, 0.3, 1.5], [2, 2]);
    const zeroOne = tf.tensor2d([1, 0, 0, 1], [2, 2]);
    const signs = tf.tensor2d([1, -1, -1, 1], [2, 2]);
    const mixed = tf.tensor2d([1, 0, -1, 1], [2, 2]);
    for (const loss of [losses.hinge(), losses.squaredHinge()]) {
      const a = loss(zeroOne, p);
      const b = loss(signs, p);
      const c = loss(mixed, p);
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      // Mixed batch kept as is: the 0 target costs max(1 - 0·p, 0) = 1.
      const hingeRow0 = (Math.max(1 - 0.5, 0) + 1) / 2;
      const expected = loss.name === 'hinge' ? hingeRow0 : (0.5 ** 2 + 1) / 2;
      expect(c.dataSync()[0]).toBeCloseTo(expected, 6);
      tf.dispose([a, b, c]);
    }
    tf.dispose([p, zeroOne, signs, mixed]);
  });
});

describe('class axis option', () => {
  const B = 3;
  const K = 4;
  const T = 5;
  const r = randomGenerator(303);
  const scoresBKT = tf.tensor3d(uniform(r, B * K * T, -3, 3), [B, K, T]);
  const probsBKT = tf.tensor3d(uniform(r, B * K * T, 0.05, 1), [B, K, T]);
  const classesBT = tf.tensor2d(
    Array.from({length: B * T}, (_, i) => (i * 3) % K),
    [B, T],
    'int32',
  );
  const oneHotBKT = tf.transpose(tf.oneHot(classesBT, K), [0, 2, 1]);
  const toLast = (x: tf.Tensor) => tf.transpose(x, [0, 2, 1]);

  /** `loss` with the class axis 1 must equal `reference` on inputs with the classes moved last, in value and gradient. */
  function expectSameAsLastAxis(loss: Loss, reference: Loss, yTrue: tf.Tensor, yPred: tf.Tensor, referenceTrue: tf.Tensor = toLast(yTrue)) {
    const value = loss(yTrue, yPred);
    const expected = reference(referenceTrue, toLast(yPred));
    expect(value.shape).toEqual([B]);
    expect(closeness(value.dataSync(), expected.dataSync(), 1e-6, 0)).toBeLessThanOrEqual(1);
    const grad = tf.grad((p: tf.Tensor) => tf.sum(loss(yTrue, p)))(yPred);
    const expectedGrad = tf.grad((p: tf.Tensor) => tf.sum(reference(referenceTrue, p)))(toLast(yPred));
    const gradLast = toLast(grad);
    const scale = Math.max(...Array.from(expectedGrad.dataSync(), Math.abs));
    expect(closeness(gradLast.dataSync(), expectedGrad.dataSync(), 1e-5, 1e-7 * scale)).toBeLessThanOrEqual(1);
    tf.dispose([value, expected, grad, expectedGrad, gradLast]);
  }

  it('categoricalCrossentropy, with and without logits', () => {
    expectSameAsLastAxis(losses.categoricalCrossentropy({axis: 1}), losses.categoricalCrossentropy(), oneHotBKT, probsBKT);
    expectSameAsLastAxis(
      losses.categoricalCrossentropy({axis: -2, fromLogits: true}),
      losses.categoricalCrossentropy({fromLogits: true}),
      oneHotBKT,
      scoresBKT,
    );
  });

  it("categoricalCrossentropy smooths over the targets' last axis, as Keras 3 does", () => {
    const smoothed = tf.add(tf.mul(toLast(oneHotBKT), 0.8), 0.2 / T);
    expectSameAsLastAxis(
      losses.categoricalCrossentropy({axis: 1, labelSmoothing: 0.2, fromLogits: true}),
      losses.categoricalCrossentropy({fromLogits: true}),
      oneHotBKT,
      scoresBKT,
      smoothed,
    );
    smoothed.dispose();
  });

  it('sparseCategoricalCrossentropy, with [batch, T] and [batch, 1, T] targets', async () => {
    expectSameAsLastAxis(
      losses.sparseCategoricalCrossentropy({axis: 1, fromLogits: true}),
      losses.sparseCategoricalCrossentropy({fromLogits: true}),
      classesBT,
      scoresBKT,
      classesBT,
    );
    const column = tf.reshape(classesBT, [B, 1, T]);
    expectSameAsLastAxis(
      losses.sparseCategoricalCrossentropy({axis: 1}),
      losses.sparseCategoricalCrossentropy(),
      column,
      probsBKT,
      classesBT,
    );
    await losses.sparseCategoricalCrossentropy({axis: 1}).validateTargets!(column, [B, K, T]);
    const bad = tf.tensor2d([[0, 9, 0, 0, 0]], [1, T], 'int32');
    await expect(async () => losses.sparseCategoricalCrossentropy({axis: 1}).validateTargets!(bad, [1, K, T])).rejects.toThrow(
      /integer class ids in \[0, 4\)/,
    );
    tf.dispose([column, bad]);
  });

  it('categoricalFocalCrossentropy and cosineSimilarity', () => {
    expectSameAsLastAxis(
      losses.categoricalFocalCrossentropy({axis: 1, fromLogits: true}),
      losses.categoricalFocalCrossentropy({fromLogits: true}),
      oneHotBKT,
      scoresBKT,
    );
    expectSameAsLastAxis(losses.cosineSimilarity({axis: 1}), losses.cosineSimilarity(), probsBKT, scoresBKT);
  });

  it('throws ShapeError when the axis is not a non-batch axis of the predictions, leaking nothing', async () => {
    const p = tf.zeros([4, 3]);
    const t = tf.zeros([4, 3]);
    const ids = tf.zeros([4], 'int32');
    for (const loss of [
      losses.categoricalCrossentropy({axis: 2}),
      losses.categoricalCrossentropy({axis: -2}),
      losses.categoricalFocalCrossentropy({axis: 5}),
      losses.cosineSimilarity({axis: 2}),
    ]) {
      expect(() => loss(t, p)).toThrow(ShapeError);
      await expectNoNewTensors(() => loss(t, p));
    }
    expect(() => losses.sparseCategoricalCrossentropy({axis: 3})(ids, p)).toThrow(/axis 3 is not a non-batch axis/);
    await expect(async () => losses.sparseCategoricalCrossentropy({axis: 3}).validateTargets!(ids, [4, 3])).rejects.toThrow(ShapeError);
    tf.dispose([p, t, ids]);
  });
});

describe('reduceLoss', () => {
  const values = [0.5, 2, 1.25, 0, 3];
  const w = [1, 0.5, 2, 3, 0];
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const weighted = values.map((v, i) => v * w[i]!);

  it("applies Keras' reductions, with and without sample weights", () => {
    const losses = tf.tensor1d(values);
    const weightsFlat = tf.tensor1d(w);
    const weightsColumn = tf.tensor2d(w, [5, 1]);
    const weightsInt = tf.tensor1d([1, 0, 2, 3, 0], 'int32');
    const expected: [Parameters<typeof reduceLoss>[1], number | number[]][] = [
      [undefined, sum(values) / 5],
      [{reduction: 'sumOverBatchSize'}, sum(values) / 5],
      [{reduction: 'mean'}, sum(values) / 5],
      [{reduction: 'meanWithSampleWeight'}, sum(values) / 5],
      [{reduction: 'sum'}, sum(values)],
      [{reduction: 'none'}, values],
      [{sampleWeight: weightsFlat}, sum(weighted) / 5],
      [{reduction: 'mean', sampleWeight: weightsColumn}, sum(weighted) / 5],
      [{reduction: 'sum', sampleWeight: weightsColumn}, sum(weighted)],
      [{reduction: 'meanWithSampleWeight', sampleWeight: weightsFlat}, sum(weighted) / sum(w)],
      [{reduction: 'meanWithSampleWeight', sampleWeight: weightsInt}, (0.5 + 2 * 1.25) / 6],
      [{reduction: 'none', sampleWeight: weightsColumn}, weighted],
    ];
    for (const [options, want] of expected) {
      const got = reduceLoss(losses, options);
      expect(got.shape).toEqual(Array.isArray(want) ? [5] : []);
      expect(got.dtype).toBe('float32');
      expect(closeness(got.dataSync(), Array.isArray(want) ? want : [want], 1e-6, 1e-12)).toBeLessThanOrEqual(1);
      got.dispose();
    }
    tf.dispose([losses, weightsFlat, weightsColumn, weightsInt]);
  });

  it('divides by zero to 0, as Keras (divide_no_nan), and gives 0 for an empty batch', () => {
    const losses = tf.tensor1d([1, 2]);
    const zeros = tf.zeros([2]);
    const empty = tf.tensor1d([]);
    const a = reduceLoss(losses, {reduction: 'meanWithSampleWeight', sampleWeight: zeros});
    const b = reduceLoss(empty);
    const c = reduceLoss(empty, {reduction: 'sum'});
    expect([a.dataSync()[0], b.dataSync()[0], c.dataSync()[0]]).toEqual([0, 0, 0]);
    tf.dispose([losses, zeros, empty, a, b, c]);
  });

  it('is differentiable: the gradient of the weighted mean of a loss', () => {
    const t = tf.tensor2d(regressionTrue, [N, C]);
    const p = tf.tensor2d(regressionPred, [N, C]);
    const sw = tf.tensor1d(weights);
    const loss = losses.meanSquaredError();
    const grad = tf.grad((x: tf.Tensor) => reduceLoss(loss(t, x), {reduction: 'meanWithSampleWeight', sampleWeight: sw}))(p);
    const ref = mseRef(
      regressionTrue,
      regressionPred,
      weights.map((v) => v / sum(weights)),
      C,
    );
    expect(closeness(grad.dataSync(), ref.grad, 1e-5, 0)).toBeLessThanOrEqual(1);
    tf.dispose([t, p, sw, grad]);
  });

  it('leaks nothing and disposes neither input', async () => {
    const losses = tf.tensor1d(values);
    const sw = tf.tensor2d(w, [5, 1]);
    for (const reduction of lossReductions) {
      await expectNoTensorLeaks(() => tf.dispose(reduceLoss(losses, {reduction, sampleWeight: sw})));
      await expectNoTensorLeaks(() => tf.dispose(reduceLoss(losses, {reduction})));
    }
    const none = reduceLoss(losses, {reduction: 'none'});
    expect(none).not.toBe(losses);
    none.dispose();
    expect(losses.isDisposed || sw.isDisposed).toBe(false);
    tf.dispose([losses, sw]);
  });

  it('throws typed errors for bad shapes, dtypes and reductions, creating no tensors', async () => {
    const losses = tf.tensor1d(values);
    const matrix = tf.zeros([5, 2]);
    const short = tf.ones([4]);
    const wide = tf.ones([5, 2]);
    const scalar = tf.scalar(2);
    const text = tf.tensor1d(['a', 'b', 'c', 'd', 'e']);
    const error = catchError(() => reduceLoss(losses, {sampleWeight: short}));
    expect(ShapeError.is(error)).toBe(true);
    expect(error.message).toMatch(/expected sampleWeight of shape \[5\] or \[5, 1\], one weight per sample; got \[4\]/);
    expect(() => reduceLoss(losses, {sampleWeight: wide})).toThrow(ShapeError);
    expect(() => reduceLoss(losses, {sampleWeight: scalar})).toThrow(ShapeError);
    expect(() => reduceLoss(matrix)).toThrow(/expected per-sample losses of shape \[batch\]/);
    expect(() => reduceLoss(losses, {sampleWeight: text})).toThrow(DTypeError);
    expect(() => reduceLoss(losses, {reduction: 'sum_over_batch_size' as never})).toThrow(ConfigError);
    expect(() => reduceLoss(losses, {reduction: 'auto' as never})).toThrow(/reduction must be one of 'sum'/);
    expect(() => reduceLoss([1, 2] as never)).toThrow(ConfigError);
    expect(() => reduceLoss(losses, {sampleWeight: [1, 2, 3, 4, 5] as never})).toThrow(ConfigError);
    expect(() => reduceLoss(losses, 'sum' as never)).toThrow(ConfigError);
    await expectNoNewTensors(() => reduceLoss(losses, {sampleWeight: short}));
    tf.dispose([losses, matrix, short, wide, scalar, text]);
  });
});
