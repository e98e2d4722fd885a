import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, StateError, type Metric} from '@trellis/core';
import {catchError, expectNoNewTensors, expectUnknownOptionRefused, misspell, randomGenerator} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import type {ConfusionKey, ConfusionState} from './confusion-counts';
import {falseNegatives, falsePositives, trueNegatives, truePositives, type ConfusionCountConfig} from './counts';
import {binaryHostData, column, evenGrid, hostData, oracleCounts, runMetric, split} from './float64-oracle.test-helper';
import {expectCarriedStateLeakFree} from '../../test/update-cycle';

beforeAll(() => tf.setBackend('cpu'));

const SIZES = [9, 20, 1, 14];
// Edge values: exactly 0, 1 and the default threshold.
const binary = binaryHostData(randomGenerator(11), 44, [0, 1, 0.5]);
const wide = hostData(randomGenerator(12), 44, 3);

type AnyCount = ((config?: ConfusionCountConfig) => Metric<ConfusionState<ConfusionKey>>) & {readonly name: string};
const factories: Record<ConfusionKey, AnyCount> = {tp: truePositives, fp: falsePositives, tn: trueNegatives, fn: falseNegatives} as never;
const kerasNames = {tp: 'true_positives', fp: 'false_positives', tn: 'true_negatives', fn: 'false_negatives'};

describe.each(Object.entries(factories))('%s', (key, make) => {
  const k = key as keyof typeof factories;

  it('counts at the default threshold 0.5 (strictly greater), weighted and not, streamed over uneven batches', () => {
    for (const weighted of [false, true]) {
      const batches = split(binary, SIZES, weighted);
      const expected = column(oracleCounts(batches, {thresholds: [0.5]})[k])[0]!;
      const [ours] = runMetric(make(), batches, true);
      expect(ours).toBeCloseTo(expected, 5);
    }
  });

  it('gives one count per threshold for a list (rank-1 result), in the order given', () => {
    const thresholds = [0.7, 0.1, 0.45];
    const batches = split(wide, SIZES, true);
    const expected = column(oracleCounts(batches, {thresholds})[k]);
    const metric = make({thresholds});
    const s = metric.init();
    const r = metric.result(s);
    expect(r.shape).toEqual([3]);
    tf.dispose([s, r]);
    const ours = runMetric(metric, batches);
    ours.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
  });

  it("uses Keras' bucketing (predictions clipped to [0, 1]) for an evenly spaced list", () => {
    const thresholds = evenGrid(5);
    const data = hostData(randomGenerator(13), 30, 2);
    data.yPred[0] = [1.5, -0.5]; // clipped: 1.5 is not above 1, -0.5 is not above 0
    data.yPred[1] = [0.25, 0.75];
    const batches = split(data, [30], true);
    const expected = column(oracleCounts(batches, {thresholds, clip: true})[k]);
    runMetric(make({thresholds}), batches).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
  });

  it("has a spec with defaults filled in, and Keras' default name", () => {
    const m = make();
    expect(m.name).toBe(kerasNames[k]);
    expect(m.spec).toEqual({id: `trellis/${make.name}`, config: {thresholds: 0.5, name: kerasNames[k]}});
    expect(make({thresholds: [0.2, 0.4], name: 'c'}).spec.config).toEqual({thresholds: [0.2, 0.4], name: 'c'});
  });

  it('merges states by adding them', () => {
    const m = make({thresholds: [0.3, 0.6]});
    const [first, second] = [
      split(binary, [20], true),
      split({...binary, yPred: binary.yPred.slice(20), yTrue: binary.yTrue.slice(20), weights: binary.weights.slice(20)}, [24], true),
    ];
    const run = (batches: typeof first) => {
      const s0 = m.init();
      const b = batches[0]!;
      const [t, p, w] = [tf.tensor1d(b.yTrue.flat()), tf.tensor1d(b.yPred.flat()), tf.tensor1d(b.weights as number[])];
      const s1 = m.update(s0, t, p, w);
      tf.dispose([s0, t, p, w]);
      return s1;
    };
    const [a, b] = [run(first), run(second)];
    const merged = m.merge!(a, b);
    const r = m.result(merged);
    const expected = column(oracleCounts(split(binary, [44], true), {thresholds: [0.3, 0.6]})[k]);
    Array.from(r.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    tf.dispose([a, b, merged, r]);
  });

  it('leaks no tensors over update/result cycles', async () => {
    const m = make({thresholds: [0.2, 0.8]});
    const [t, p, w] = [
      tf.tensor2d([
        [1, 0],
        [0, 1],
      ]),
      tf.tensor2d([
        [0.9, 0.1],
        [0.4, 0.3],
      ]),
      tf.tensor1d([1, 2]),
    ];
    await expectCarriedStateLeakFree(m, t, p, w);
    tf.dispose([t, p, w]);
  });
});

describe('count metrics: errors', () => {
  it('refuse thresholds outside [0, 1], empty lists and non-numbers with a ConfigError naming the option', () => {
    const e = catchError(() => truePositives({thresholds: 1.5}));
    expect(ConfigError.is(e)).toBe(true);
    expect(e.message).toMatch(/truePositives: thresholds must be a finite number in \[0, 1\]; got 1.5/);
    expect(catchError(() => falsePositives({thresholds: [0.2, -0.1]})).message).toMatch(
      /thresholds\[1\] must be a finite number in \[0, 1\]/,
    );
    expect(ConfigError.is(catchError(() => trueNegatives({thresholds: []})))).toBe(true);
    expect(ConfigError.is(catchError(() => falseNegatives({thresholds: 'x' as never})))).toBe(true);
    expect(ConfigError.is(catchError(() => falseNegatives({name: ''})))).toBe(true);
  });

  it('refuse misspelled options, naming the one meant', async () => {
    await expectUnknownOptionRefused(() => truePositives({[misspell('thresholds')]: 1} as never), 'truePositives', 'thresholds');
    await expectUnknownOptionRefused(() => falseNegatives({[misspell('name')]: 'x'} as never), 'falseNegatives', 'name');
  });

  it('throw a ShapeError for mismatched shapes or sample weights, leaving no tensor behind', async () => {
    const m = truePositives();
    const s = m.init();
    const [t, p, p3, w] = [tf.ones([4, 2]), tf.ones([4, 3]), tf.ones([4, 2, 2]), tf.ones([3])];
    for (const run of [() => m.update(s, t, p), () => m.update(s, p3, p3), () => m.update(s, t, t, w)]) {
      await expectNoNewTensors(run);
      expect(ShapeError.is(catchError(run))).toBe(true);
    }
    expect(catchError(() => m.update(s, t, p)).message).toMatch(/yTrue must have the shape of yPred/);
    expect(catchError(() => m.update(s, t, t, w)).message).toMatch(/sampleWeight must have shape \[4\]/);
    tf.dispose([s, t, p, p3, w]);
  });

  it('throw a StateError for a disposed or foreign state', () => {
    const m = truePositives({thresholds: [0.1, 0.2]});
    const s = m.init();
    tf.dispose(s);
    const [t, p] = [tf.ones([2]), tf.ones([2])];
    expect(StateError.is(catchError(() => m.update(s, t, p)))).toBe(true);
    const other = truePositives().init();
    expect(StateError.is(catchError(() => m.result(other)))).toBe(true);
    tf.dispose([t, p, other]);
  });

  it('cast targets to bool: any non-zero target is positive', () => {
    const m = truePositives();
    const [t, p] = [tf.tensor1d([2, -1, 0, 1], 'int32'), tf.tensor1d([0.9, 0.8, 0.7, 0.2])];
    const s = m.init();
    const s1 = m.update(s, t, p);
    const r = m.result(s1);
    expect(r.dataSync()[0]).toBe(2);
    expect(r.shape).toEqual([]);
    tf.dispose([t, p, s, s1, r]);
  });
});
