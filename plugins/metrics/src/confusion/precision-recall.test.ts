import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, ShapeError, type Metric} from '@trellis/core';
import {catchError, expectNoNewTensors, expectUnknownOptionRefused, misspell, randomGenerator} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {expectMergeCyclesLeakFree} from '../../test/merge-cycles';
import {column, divNoNan, hostData, oracleCounts, runMetric, split, type OracleOptions} from './float64-oracle.test-helper';
import type {ConfusionKey, ConfusionState} from './confusion-counts';
import {precision} from './precision';
import type {RatioSpecConfig} from './ratio-metric';
import {recall} from './recall';

beforeAll(() => tf.setBackend('cpu'));

const SIZES = [7, 16, 3, 22];
const binary = hostData(randomGenerator(21), 48, 1);
const classes = hostData(randomGenerator(22), 48, 5);

/** Float64 precision and recall per threshold. */
function oracle(batches: Parameters<typeof oracleCounts>[0], options: OracleOptions) {
  const c = oracleCounts(batches, options);
  const [tp, fp, fn] = [column(c.tp), column(c.fp), column(c.fn)];
  return {
    precision: tp.map((v, i) => divNoNan(v, v + fp[i]!)),
    recall: tp.map((v, i) => divNoNan(v, v + fn[i]!)),
  };
}

type Config = Parameters<typeof precision>[0] & {};
const variants: readonly [string, Config, OracleOptions, 'binary' | 'classes'][] = [
  ['default threshold, binary', {}, {thresholds: [0.5]}, 'binary'],
  ['threshold list, binary', {thresholds: [0.25, 0.5, 0.9]}, {thresholds: [0.25, 0.5, 0.9]}, 'binary'],
  ['every element of [batch, classes]', {thresholds: 0.4}, {thresholds: [0.4]}, 'classes'],
  ['topK 1', {topK: 1}, {thresholds: [-1e10], topK: 1}, 'classes'],
  ['topK 2 with a threshold', {topK: 2, thresholds: 0.3}, {thresholds: [0.3], topK: 2}, 'classes'],
  ['classId 3', {classId: 3}, {thresholds: [0.5], classId: 3}, 'classes'],
  ['topK 2 and classId 0', {topK: 2, classId: 0}, {thresholds: [-1e10], topK: 2, classId: 0}, 'classes'],
  ['classId with thresholds', {classId: 1, thresholds: [0.2, 0.6]}, {thresholds: [0.2, 0.6], classId: 1}, 'classes'],
];

type RatioFactory = (config?: Config) => Metric<ConfusionState<ConfusionKey>, RatioSpecConfig>;
const ratioMetrics: readonly (readonly ['precision' | 'recall', RatioFactory])[] = [
  ['precision', precision as never],
  ['recall', recall as never],
];

describe.each(ratioMetrics)('%s', (which, make) => {
  it.each(variants)('matches the float64 oracle: %s, weighted and not, over uneven batches', (_, config, options, data) => {
    for (const weighted of [false, true]) {
      const batches = split(data === 'binary' ? binary : classes, SIZES, weighted);
      const expected = oracle(batches, options)[which];
      const ours = runMetric(make(config), batches, data === 'binary');
      expect(ours).toHaveLength(expected.length);
      ours.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
      expect(expected.some((v) => v > 0.05 && v < 0.95)).toBe(true);
    }
  });

  it('reads 0 on an empty state (divNoNan) and is a scalar for one threshold, rank 1 for a list', () => {
    const m = make();
    const s = m.init();
    const r = m.result(s);
    expect(r.shape).toEqual([]);
    expect(r.dataSync()[0]).toBe(0);
    const list = make({thresholds: [0.1, 0.2]});
    const s2 = list.init();
    const r2 = list.result(s2);
    expect(r2.shape).toEqual([2]);
    tf.dispose([s, r, s2, r2]);
  });

  it('accepts [batch] targets against [batch, 1] predictions and the reverse', () => {
    const batches = split(binary, [48], true);
    const expected = oracle(batches, {thresholds: [0.5]})[which][0]!;
    const b = batches[0]!;
    for (const [tShape, pShape] of [
      [[48], [48, 1]],
      [[48, 1], [48]],
    ]) {
      const m = make();
      const [t, p, w] = [tf.tensor(b.yTrue.flat(), tShape), tf.tensor(b.yPred.flat(), pShape), tf.tensor1d(b.weights as number[])];
      const s0 = m.init();
      const s1 = m.update(s0, t, p, w);
      const r = m.result(s1);
      expect(r.dataSync()[0]).toBeCloseTo(expected, 6);
      tf.dispose([t, p, w, s0, s1, r]);
    }
  });

  it('has a spec with defaults filled in', () => {
    expect(make().spec).toEqual({id: `trellis/${which}`, config: {thresholds: 0.5, topK: null, classId: null, name: which}});
    expect(make({topK: 2, classId: 1, name: 'p'}).spec.config).toEqual({thresholds: null, topK: 2, classId: 1, name: 'p'});
    expect(make({thresholds: [0.3]}).spec.config.thresholds).toEqual([0.3]);
    // The spec rebuilds the same metric.
    const m = make({topK: 3, thresholds: [0.1, 0.2]});
    expect(make(m.spec.config).spec).toEqual(m.spec);
  });

  it('refuses bad options with a ConfigError naming the option', async () => {
    for (const bad of [{topK: 0}, {topK: 1.5}, {classId: -1}, {classId: 0.5}, {thresholds: 2}, {thresholds: [0.5, NaN]}]) {
      const e = catchError(() => make(bad as Config));
      expect(ConfigError.is(e)).toBe(true);
      expect(e.message).toMatch(new RegExp(`^${which}: ${Object.keys(bad)[0]}`));
    }
    await expectUnknownOptionRefused(() => make({[misspell('topK')]: 1} as never), which, 'topK');
    expect(catchError(() => make({class_id: 1} as never)).message).toMatch(/'class_id' \(did you mean 'classId'\?\)/);
  });

  it('checks topK and classId against the batch without leaving tensors behind', async () => {
    const [t, p, flat] = [tf.ones([4, 3]), tf.ones([4, 3]), tf.ones([4])];
    const cases = [
      [make({topK: 4}), ShapeError, /topK is 4 but yPred has only 3 values/],
      [make({classId: 3}), DataError, /classId is 3 but yPred has 3 classes/],
    ] as const;
    for (const [m, type, message] of cases) {
      const s = m.init();
      await expectNoNewTensors(() => m.update(s, t, p));
      const e = catchError(() => m.update(s, t, p));
      expect(type.is(e)).toBe(true);
      expect(e.message).toMatch(message);
      tf.dispose(s);
    }
    const m = make({classId: 0});
    const s = m.init();
    expect(ShapeError.is(catchError(() => m.update(s, flat, flat)))).toBe(true);
    tf.dispose([s, t, p, flat]);
  });

  it('leaks no tensors over update/result/merge cycles', async () => {
    const m = make({topK: 2, thresholds: [0.1, 0.5]});
    await expectMergeCyclesLeakFree(
      m,
      [
        [1, 0, 0],
        [0, 1, 1],
      ],
      [
        [0.6, 0.3, 0.1],
        [0.2, 0.5, 0.3],
      ],
    );
  });
});
