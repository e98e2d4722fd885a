import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, StateError} from '@trellis/core';
import {catchError, expectNoNewTensors, expectUnknownOptionRefused, misspell, randomGenerator} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {expectMergeCyclesLeakFree} from '../../test/merge-cycles';
import {auc, type AucConfig} from './auc';
import {
  binaryHostData,
  column,
  evenGrid,
  hostData,
  oracleArea,
  oracleCounts,
  runMetric,
  split,
  type HostBatch,
  type OracleOptions,
} from './float64-oracle.test-helper';

beforeAll(() => tf.setBackend('cpu'));

const EPS = 1e-7;
const SIZES = [10, 25, 4, 21];
const binary = binaryHostData(randomGenerator(41), 60, [0, 1, 0.5]);
const labels = hostData(randomGenerator(42), 60, 3);

/** AUC's grid with −ε and 1 + ε at the ends. */
const aucThresholds = (inner: readonly number[]) => [-EPS, ...inner, 1 + EPS];
const defaultInner = (n: number) => evenGrid(n).slice(1, -1);

/** Float64 AUC: per-label areas averaged (weighted) for multi-label, one area otherwise. */
function oracle(
  batches: readonly HostBatch[],
  options: OracleOptions,
  curve: 'ROC' | 'PR',
  method: 'interpolation' | 'minoring' | 'majoring',
  labelWeights?: readonly number[],
): number {
  const c = oracleCounts(batches, options);
  const width = c.tp[0]!.length;
  const areas = Array.from({length: width}, (_, j) =>
    oracleArea(column(c.tp, j), column(c.fp, j), column(c.tn, j), column(c.fn, j), curve, method),
  );
  if (!options.multiLabel) return areas[0]!;
  if (!labelWeights) return areas.reduce((a, b) => a + b, 0) / width;
  const total = labelWeights.reduce((a, b) => a + b, 0);
  return areas.reduce((a, v, j) => a + v * labelWeights[j]!, 0) / total;
}

describe('auc', () => {
  const curves = ['ROC', 'PR'] as const;
  const methods = ['interpolation', 'minoring', 'majoring'] as const;
  for (const curve of curves) {
    for (const method of methods) {
      it(`${curve} ${method}: matches the float64 oracle on the default grid and on 13 thresholds, weighted and not`, () => {
        for (const n of [200, 13]) {
          for (const weighted of [false, true]) {
            const batches = split(binary, SIZES, weighted);
            const expected = oracle(batches, {thresholds: aucThresholds(defaultInner(n)), clip: true}, curve, method);
            const [ours] = runMetric(auc({curve, summationMethod: method, numThresholds: n}), batches, true);
            expect(ours).toBeCloseTo(expected, 5);
            expect(expected).toBeGreaterThan(curve === 'ROC' ? 0.5 : 0.3);
          }
        }
      });
    }
  }

  it('is 1 for a perfect ranking and 0.5 for a constant prediction (ROC)', () => {
    const perfect: HostBatch = {yTrue: [[0], [0], [1], [1]], yPred: [[0.1], [0.3], [0.6], [0.9]]};
    expect(runMetric(auc(), [perfect], true)[0]).toBeCloseTo(1, 6);
    const constant: HostBatch = {yTrue: [[0], [1], [0], [1]], yPred: [[0.5], [0.5], [0.5], [0.5]]};
    expect(runMetric(auc(), [constant], true)[0]).toBeCloseTo(0.5, 6);
  });

  it('takes sorted custom thresholds, evenly spaced or not', () => {
    for (const inner of [
      [0.7, 0.2, 0.45],
      [0.25, 0.5, 0.75],
    ]) {
      const batches = split(binary, SIZES, true);
      const sorted = [...inner].sort((a, b) => a - b);
      const expected = oracle(batches, {thresholds: aucThresholds(sorted), clip: true}, 'ROC', 'interpolation');
      const m = auc({thresholds: inner});
      expect(m.spec.config.numThresholds).toBe(5);
      expect(m.spec.config.thresholds).toEqual(sorted);
      expect(runMetric(m, batches, true)[0]).toBeCloseTo(expected, 5);
    }
  });

  it('applies a sigmoid with fromLogits', () => {
    const logits = hostData(randomGenerator(43), 40, 1);
    logits.yPred.forEach((row) => (row[0] = (row[0]! - 0.5) * 8));
    const batches = split(logits, [15, 25], true);
    const expected = oracle(batches, {thresholds: aucThresholds(defaultInner(200)), clip: true, sigmoid: true}, 'PR', 'interpolation');
    expect(runMetric(auc({fromLogits: true, curve: 'PR'}), batches, true)[0]).toBeCloseTo(expected, 5);
  });

  it('counts through a one-hot product where the backend has no UnsortedSegmentSum, with the same result', () => {
    const batches = split(labels, SIZES, true);
    const thresholds = aucThresholds(defaultInner(50));
    const flat = oracle(batches, {thresholds, clip: true}, 'ROC', 'interpolation');
    const perLabel = oracle(batches, {thresholds, clip: true, multiLabel: true}, 'PR', 'interpolation');
    const kernel = tf.getKernel('UnsortedSegmentSum', 'cpu')!;
    tf.unregisterKernel('UnsortedSegmentSum', 'cpu');
    try {
      expect(runMetric(auc({numThresholds: 50}), batches)[0]).toBeCloseTo(flat, 5);
      expect(runMetric(auc({numThresholds: 50, multiLabel: true, curve: 'PR'}), batches)[0]).toBeCloseTo(perLabel, 5);
    } finally {
      tf.registerKernel(kernel);
    }
    expect(runMetric(auc({numThresholds: 50, multiLabel: true, curve: 'PR'}), batches)[0]).toBeCloseTo(perLabel, 5);
  });

  it('flattens [batch, labels] by default, weighting columns by labelWeights', () => {
    const batches = split(labels, SIZES, true);
    const thresholds = aucThresholds(defaultInner(50));
    expect(runMetric(auc({numThresholds: 50}), batches)[0]).toBeCloseTo(
      oracle(batches, {thresholds, clip: true}, 'ROC', 'interpolation'),
      5,
    );
    const lw = [0.5, 2, 0];
    expect(runMetric(auc({numThresholds: 50, labelWeights: lw}), batches)[0]).toBeCloseTo(
      oracle(batches, {thresholds, clip: true, labelWeights: lw}, 'ROC', 'interpolation'),
      5,
    );
  });

  it('averages per-label areas with multiLabel (sized by the first batch or numLabels), weighted by labelWeights', () => {
    const batches = split(labels, SIZES, true);
    const options = {thresholds: aucThresholds(defaultInner(200)), clip: true, multiLabel: true};
    for (const curve of curves) {
      const expected = oracle(batches, options, curve, 'interpolation');
      expect(runMetric(auc({multiLabel: true, curve}), batches)[0]).toBeCloseTo(expected, 5);
      expect(runMetric(auc({multiLabel: true, numLabels: 3, curve}), batches)[0]).toBeCloseTo(expected, 5);
      const lw = [1, 3, 0.5];
      expect(runMetric(auc({multiLabel: true, labelWeights: lw, curve}), batches)[0]).toBeCloseTo(
        oracle(batches, options, curve, 'interpolation', lw),
        5,
      );
    }
  });

  it('multiLabel: init is [T, 0] until the first batch without numLabels; a result before any batch is 0; merge takes the sized side', () => {
    const m = auc({multiLabel: true, numThresholds: 4});
    const s0 = m.init();
    expect(s0.tp.shape).toEqual([4, 0]);
    const r0 = m.result(s0);
    expect(r0.dataSync()[0]).toBe(0);
    const [t, p] = [
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      tf.tensor2d([
        [0.8, 0.3],
        [0.2, 0.9],
      ]),
    ];
    const s1 = m.update(s0, t, p);
    expect(s1.tp.shape).toEqual([4, 2]);
    const merged = m.merge!(s0, s1);
    const [a, b] = [m.result(s1), m.result(merged)];
    expect(b.dataSync()[0]).toBeCloseTo(a.dataSync()[0]!, 6);
    const [t3, p3] = [tf.ones([2, 3]), tf.ones([2, 3])];
    const e = catchError(() => m.update(s1, t3, p3));
    expect(ShapeError.is(e)).toBe(true);
    expect(e.message).toMatch(/counts 2 labels/);
    const other = m.update(s0, t3, p3);
    expect(StateError.is(catchError(() => m.merge!(s1, other)))).toBe(true);
    expect(auc({multiLabel: true, numLabels: 5}).init().tp.shape).toEqual([200, 5]);
    tf.dispose([s0, r0, t, p, s1, merged, a, b, t3, p3, other]);
  });

  it('has a spec with every default filled in that rebuilds the same metric', () => {
    const m = auc();
    expect(m.spec).toEqual({
      id: 'trellis/auc',
      config: {
        numThresholds: 200,
        curve: 'ROC',
        summationMethod: 'interpolation',
        thresholds: null,
        multiLabel: false,
        numLabels: null,
        labelWeights: null,
        fromLogits: false,
        name: 'auc',
      },
    });
    const custom = auc({curve: 'PR', multiLabel: true, numLabels: 2, labelWeights: [1, 2], thresholds: [0.3], name: 'pr'});
    expect(auc(custom.spec.config).spec).toEqual(custom.spec);
  });

  it('refuses bad options with a ConfigError naming the option', async () => {
    const bad: AucConfig[] = [
      {numThresholds: 1},
      {numThresholds: 10.5},
      {curve: 'XY' as never},
      {summationMethod: 'trapezoid' as never},
      {thresholds: [0.5, 1.2]},
      {thresholds: 0.5 as never},
      {numLabels: 3},
      {multiLabel: true, numLabels: 2, labelWeights: [1, 1, 1]},
      {labelWeights: [1, -1]},
      {multiLabel: 'yes' as never},
    ];
    for (const config of bad) {
      const e = catchError(() => auc(config));
      expect(ConfigError.is(e)).toBe(true);
      expect(e.message).toMatch(/^auc: /);
    }
    await expectUnknownOptionRefused(() => auc({[misspell('summationMethod')]: 'minoring'} as never), 'auc', 'summationMethod');
  });

  it('throws ShapeErrors at update before allocating anything', async () => {
    const [t1, p1, t2, p2] = [tf.ones([3]), tf.ones([3]), tf.ones([3, 2]), tf.ones([3, 2])];
    const cases = [
      [auc({multiLabel: true}), t1, p1],
      [auc({labelWeights: [1, 2, 3]}), t2, p2],
      [auc(), t1, p2],
    ] as const;
    for (const [m, t, p] of cases) {
      const s = m.init();
      await expectNoNewTensors(() => m.update(s, t, p));
      expect(ShapeError.is(catchError(() => m.update(s, t, p)))).toBe(true);
      tf.dispose(s);
    }
    tf.dispose([t1, p1, t2, p2]);
  });

  it('leaks no tensors over update/result/merge cycles, multi-label included', async () => {
    for (const m of [auc(), auc({curve: 'PR', multiLabel: true}), auc({thresholds: [0.3, 0.9], summationMethod: 'majoring'})]) {
      await expectMergeCyclesLeakFree(
        m,
        [
          [1, 0],
          [0, 1],
        ],
        [
          [0.6, 0.3],
          [0.2, 0.5],
        ],
      );
    }
  });
});
