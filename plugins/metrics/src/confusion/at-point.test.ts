import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError} from '@trellis/core';
import {catchError, expectNoNewTensors, expectUnknownOptionRefused, misspell, randomGenerator} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {precisionAtRecall, recallAtPrecision, sensitivityAtSpecificity, specificityAtSensitivity} from './at-point';
import {
  binaryHostData,
  column,
  divNoNan,
  evenGrid,
  hostData,
  oracleCounts,
  runMetric,
  split,
  type HostBatch,
} from './float64-oracle.test-helper';
import {expectCarriedStateLeakFree} from '../../test/update-cycle';

beforeAll(() => tf.setBackend('cpu'));

const SIZES = [13, 30, 2, 19];
const binary = binaryHostData(randomGenerator(31), 64, [0, 1]);
const classes = hostData(randomGenerator(32), 64, 4);

type Rate = 'sensitivity' | 'specificity' | 'precision';

/** Float64: the best `dependent` rate over the grid where `constrained` ≥ `value`, else 0. */
function oracle(batches: readonly HostBatch[], n: number, constrained: Rate, dependent: Rate, value: number, classId?: number): number {
  const c = oracleCounts(batches, {thresholds: evenGrid(n), clip: true, ...(classId === undefined ? {} : {classId})});
  const [tp, fp, tn, fn] = [column(c.tp), column(c.fp), column(c.tn), column(c.fn)];
  const rate = (r: Rate, i: number) =>
    r === 'sensitivity'
      ? divNoNan(tp[i]!, tp[i]! + fn[i]!)
      : r === 'specificity'
        ? divNoNan(tn[i]!, tn[i]! + fp[i]!)
        : divNoNan(tp[i]!, tp[i]! + fp[i]!);
  let best = 0;
  for (let i = 0; i < n; i++) if (rate(constrained, i) >= value) best = Math.max(best, rate(dependent, i));
  return best;
}

const metrics = [
  ['precisionAtRecall', 'recall', 'precision_at_recall', 'sensitivity', 'precision', (c: object) => precisionAtRecall(c as never)],
  ['recallAtPrecision', 'precision', 'recall_at_precision', 'precision', 'sensitivity', (c: object) => recallAtPrecision(c as never)],
  [
    'sensitivityAtSpecificity',
    'specificity',
    'sensitivity_at_specificity',
    'specificity',
    'sensitivity',
    (c: object) => sensitivityAtSpecificity(c as never),
  ],
  [
    'specificityAtSensitivity',
    'sensitivity',
    'specificity_at_sensitivity',
    'sensitivity',
    'specificity',
    (c: object) => specificityAtSensitivity(c as never),
  ],
] as const;

describe.each(metrics)('%s', (who, target, kerasName, constrained, dependent, make) => {
  it.each([
    [0.6, 200, undefined],
    [0.3, 11, undefined],
    [0.9, 50, 2],
    [0, 2, undefined],
    [1, 7, undefined],
  ])(`matches the float64 oracle: ${target} %s, %s thresholds, classId %s, weighted and not`, (value, n, classId) => {
    for (const weighted of [false, true]) {
      const data = classId === undefined ? binary : classes;
      const batches = split(data, SIZES, weighted);
      const expected = oracle(batches, n, constrained, dependent, value, classId);
      const [ours] = runMetric(
        make({[target]: value, numThresholds: n, ...(classId === undefined ? {} : {classId})}),
        batches,
        classId === undefined,
      );
      expect(ours).toBeCloseTo(expected, 6);
    }
  });

  it('has a spec with defaults filled in, a scalar result, and 0 on an empty state', () => {
    const m = make({[target]: 0.5});
    expect(m.name).toBe(kerasName);
    expect(m.spec).toEqual({id: `trellis/${who}`, config: {[target]: 0.5, numThresholds: 200, classId: null, name: kerasName}});
    const s = m.init();
    expect(s.tp.shape).toEqual([200]);
    const r = m.result(s);
    expect(r.shape).toEqual([]);
    expect(r.dataSync()[0]).toBe(0);
    tf.dispose([s, r]);
  });

  it('refuses a missing or out-of-range target, bad numThresholds and unknown options', async () => {
    expect(catchError(() => make({})).message).toMatch(new RegExp(`${who}: ${target} is required`));
    for (const bad of [
      {[target]: 1.01},
      {[target]: -0.1},
      {[target]: 0.5, numThresholds: 1},
      {[target]: 0.5, numThresholds: 2.5},
      {[target]: 0.5, classId: -2},
    ]) {
      const e = catchError(() => make(bad));
      expect(ConfigError.is(e)).toBe(true);
      expect(e.message).toMatch(new RegExp(`^${who}: `));
    }
    await expectUnknownOptionRefused(() => make({[target]: 0.5, [misspell('numThresholds')]: 3}), who, 'numThresholds');
  });

  it('throws a DataError for a classId out of range, leaving no tensor behind; leaks nothing over cycles', async () => {
    const m = make({[target]: 0.5, classId: 4, numThresholds: 5});
    const s = m.init();
    const [t, p, w] = [
      tf.tensor2d([
        [1, 0, 0, 0],
        [0, 1, 0, 0],
      ]),
      tf.tensor2d([
        [0.6, 0.3, 0.1, 0.2],
        [0.2, 0.5, 0.3, 0.9],
      ]),
      tf.tensor1d([1, 2]),
    ];
    await expectNoNewTensors(() => m.update(s, t, p, w));
    expect(DataError.is(catchError(() => m.update(s, t, p, w)))).toBe(true);
    const ok = make({[target]: 0.5, classId: 3, numThresholds: 5});
    await expectCarriedStateLeakFree(ok, t, p, w);
    tf.dispose([s, t, p, w]);
  });
});
