/**
 * A float64 reference of the confusion-count metrics for the unit tests:
 * plain loops over host numbers, written from Keras' definitions, sharing no
 * code with the tensor implementation.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Metric} from '@trellis/core';

/** One batch on the host: rows of predictions and targets (width 1 for `[batch]`), weights per row. */
export type HostBatch = {
  readonly yTrue: readonly (readonly number[])[];
  readonly yPred: readonly (readonly number[])[];
  readonly weights?: readonly number[];
};

/** How the reference counts. */
export type OracleOptions = {
  /** The thresholds, compared with `>`. */
  readonly thresholds: readonly number[];
  /** Clip predictions to [0, 1] first (Keras does for evenly spaced thresholds). */
  readonly clip?: boolean;
  readonly topK?: number;
  readonly classId?: number;
  /** Per-label counts (`[T][labels]`) instead of flattened ones. */
  readonly multiLabel?: boolean;
  /** Per-column weights (flattened counts). */
  readonly labelWeights?: readonly number[];
  readonly sigmoid?: boolean;
};

/** Confusion counts per threshold (`[T]`), or per threshold and label (`[T][labels]`) with `multiLabel`. */
export type HostCounts = {tp: number[][]; fp: number[][]; tn: number[][]; fn: number[][]};

/** Counts over every batch; each `counts.x[t]` has one entry per label (one entry when flattened). */
export function oracleCounts(batches: readonly HostBatch[], options: OracleOptions): HostCounts {
  const T = options.thresholds.length;
  const width = options.multiLabel ? batches[0]!.yPred[0]!.length : 1;
  const zeros = () => Array.from({length: T}, () => new Array<number>(width).fill(0));
  const counts: HostCounts = {tp: zeros(), fp: zeros(), tn: zeros(), fn: zeros()};
  for (const batch of batches) {
    batch.yPred.forEach((rawRow, r) => {
      let row = rawRow.map((v) => (options.sigmoid ? 1 / (1 + Math.exp(-v)) : v));
      let truth = batch.yTrue[r]!;
      if (options.topK !== undefined) {
        const order = row.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
        const keep = new Set(order.slice(0, options.topK).map(([, i]) => i));
        row = row.map((v, i) => (keep.has(i) ? v : -1e10));
      }
      if (options.classId !== undefined) {
        row = [row[options.classId]!];
        truth = [truth[options.classId]!];
      }
      const w = batch.weights ? batch.weights[r]! : 1;
      row.forEach((raw, j) => {
        const p = options.clip ? Math.min(1, Math.max(0, raw)) : raw;
        const positive = truth[j] !== 0;
        const weight = w * (options.labelWeights ? options.labelWeights[j]! : 1);
        const col = options.multiLabel ? j : 0;
        options.thresholds.forEach((t, i) => {
          const predicted = p > t;
          const key = positive ? (predicted ? 'tp' : 'fn') : predicted ? 'fp' : 'tn';
          counts[key][i]![col]! += weight;
        });
      });
    });
  }
  return counts;
}

/** `a / b`, or 0 when `b` is 0. */
export const divNoNan = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Column `j` of `[T][labels]` counts. */
export const column = (x: readonly (readonly number[])[], j = 0): number[] => x.map((row) => row[j]!);

/** The evenly spaced grid `[0, 1/(n−1), …, 1]`. */
export const evenGrid = (n: number): number[] => Array.from({length: n}, (_, i) => i / (n - 1));

/**
 * The area under one curve from counts at thresholds (ascending), Keras'
 * rules: ROC (x = fp rate, y = recall) or PR (x = recall, y = precision);
 * `interpolation` is the trapezoid for ROC and Davis & Goadrich for PR.
 */
export function oracleArea(
  tp: readonly number[],
  fp: readonly number[],
  tn: readonly number[],
  fn: readonly number[],
  curve: 'ROC' | 'PR',
  method: 'interpolation' | 'minoring' | 'majoring',
): number {
  let sum = 0;
  for (let i = 0; i + 1 < tp.length; i++) {
    if (curve === 'PR' && method === 'interpolation') {
      // Between thresholds i and i+1, tp grows linearly in the number of predicted positives P.
      const [p0, p1] = [tp[i]! + fp[i]!, tp[i + 1]! + fp[i + 1]!];
      const dtp = tp[i]! - tp[i + 1]!;
      const slope = divNoNan(dtp, Math.max(p0 - p1, 0));
      const intercept = tp[i + 1]! - slope * p1;
      const logRatio = p0 > 0 && p1 > 0 ? Math.log(p0 / p1) : 0;
      // ∫ precision d(recall) over the segment: (slope·dtp + slope·intercept·ln(p0/p1)) / positives.
      sum += divNoNan(slope * (dtp + intercept * logRatio), Math.max(tp[i + 1]! + fn[i + 1]!, 0));
      continue;
    }
    const recall = (k: number) => divNoNan(tp[k]!, tp[k]! + fn[k]!);
    const x = (k: number) => (curve === 'ROC' ? divNoNan(fp[k]!, fp[k]! + tn[k]!) : recall(k));
    const y = (k: number) => (curve === 'ROC' ? recall(k) : divNoNan(tp[k]!, tp[k]! + fp[k]!));
    const [a, b] = [y(i), y(i + 1)];
    const height = method === 'interpolation' ? (a + b) / 2 : method === 'minoring' ? Math.min(a, b) : Math.max(a, b);
    sum += (x(i) - x(i + 1)) * height;
  }
  return sum;
}

/** Seeded host data: `rows` rows of `width` predictions in [0, 1), 0/1 targets, weights in [0, 2). */
export function hostData(next: () => number, rows: number, width: number): {yPred: number[][]; yTrue: number[][]; weights: number[]} {
  const yPred = Array.from({length: rows}, () => Array.from({length: width}, () => next()));
  const yTrue = yPred.map((row) => row.map((p) => (next() < 0.2 + 0.6 * p ? 1 : 0)));
  const weights = Array.from({length: rows}, () => Math.round(next() * 8) / 4);
  return {yPred, yTrue, weights};
}

/**
 * {@link hostData} of one column whose first predictions are `edges` (exact 0, 1, a threshold: the
 * values where comparisons tip), in order.
 */
export function binaryHostData(
  next: () => number,
  rows: number,
  edges: readonly number[],
): {yPred: number[][]; yTrue: number[][]; weights: number[]} {
  const data = hostData(next, rows, 1);
  edges.forEach((edge, i) => {
    data.yPred[i] = [edge];
  });
  return data;
}

/** Splits rows (and weights) into batches of the given sizes. */
export function split(
  data: {yPred: number[][]; yTrue: number[][]; weights: number[]},
  sizes: readonly number[],
  weighted: boolean,
): HostBatch[] {
  let start = 0;
  return sizes.map((n) => {
    const batch = {
      yPred: data.yPred.slice(start, start + n),
      yTrue: data.yTrue.slice(start, start + n),
      ...(weighted ? {weights: data.weights.slice(start, start + n)} : {}),
    };
    start += n;
    return batch;
  });
}

/** A batch as tensors: `[batch]` rows when `flat` (width-1 rows), else `[batch, width]`; weights `[batch]`. */
export function toTensors(batch: HostBatch, flat: boolean): {yTrue: tf.Tensor; yPred: tf.Tensor; sw?: tf.Tensor} {
  const shape = flat ? [batch.yPred.length] : [batch.yPred.length, batch.yPred[0]!.length];
  return {
    yTrue: tf.tensor(batch.yTrue.flat(), shape, 'float32'),
    yPred: tf.tensor(batch.yPred.flat(), shape, 'float32'),
    ...(batch.weights ? {sw: tf.tensor1d(batch.weights as number[], 'float32')} : {}),
  };
}

/**
 * Runs `metric` over the batches as `fit` does (a new state per batch, the
 * old one disposed) and reads the result back; disposes everything it made.
 */
export function runMetric(metric: Metric, batches: readonly HostBatch[], flat = false): number[] {
  let state = metric.init();
  for (const b of batches) {
    const {yTrue, yPred, sw} = toTensors(b, flat);
    try {
      const next = metric.update(state, yTrue, yPred, sw);
      tf.dispose(state as never);
      state = next;
    } finally {
      tf.dispose([yTrue, yPred, ...(sw ? [sw] : [])]);
    }
  }
  const r = metric.result(state);
  const values = Array.from(r.dataSync());
  tf.dispose([r, state as never]);
  return values;
}
