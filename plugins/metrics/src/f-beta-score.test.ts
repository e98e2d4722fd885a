import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, StateError} from '@trellis/core';
import {catchError, expectNoNewTensors, randomGenerator} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {f1Score, fBetaScore, type FBetaState, type FScoreAverage} from './f-beta-score';
import {streamedRows, type RowBatch} from '../test/streaming';
import {expectUpdateCycleLeakFree} from '../test/update-cycle';

beforeAll(() => tf.setBackend('cpu'));

type Batch = RowBatch;

/** Keras 3's FBetaScore in float64: the independent oracle. */
function oracle(batches: readonly Batch[], average: FScoreAverage, beta: number, threshold: number | null): number | number[] {
  const c = batches[0]!.yPred[0]!.length;
  const tp = new Array<number>(c).fill(0);
  const fp = new Array<number>(c).fill(0);
  const fn = new Array<number>(c).fill(0);
  const iw = new Array<number>(c).fill(0);
  for (const b of batches) {
    b.yPred.forEach((row, i) => {
      const w = b.sw ? b.sw[i]! : 1;
      const max = Math.max(...row);
      row.forEach((p, j) => {
        const pred = threshold === null ? (p >= max && Math.abs(p) > 1e-9 ? 1 : 0) : p > threshold ? 1 : 0;
        const t = b.yTrue[i]![j]!;
        tp[j] = tp[j]! + pred * t * w;
        fp[j] = fp[j]! + pred * (1 - t) * w;
        fn[j] = fn[j]! + (1 - pred) * t * w;
        iw[j] = iw[j]! + t * w;
      });
    });
  }
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const score = (tp: number, fp: number, fn: number) => {
    const precision = tp / (tp + fp + 1e-7);
    const recall = tp / (tp + fn + 1e-7);
    return ((precision * recall) / (beta * beta * precision + recall + 1e-7)) * (1 + beta * beta);
  };
  if (average === 'micro') return score(sum(tp), sum(fp), sum(fn));
  const f = tp.map((_, j) => score(tp[j]!, fp[j]!, fn[j]!));
  if (average === null) return f;
  if (average === 'macro') return sum(f) / c;
  const total = sum(iw);
  return sum(f.map((v, j) => (v * iw[j]!) / (total + 1e-7)));
}

function data(seed: number, sizes: readonly number[], classes: number, multiLabel: boolean): Batch[] {
  const r = randomGenerator(seed);
  return sizes.map((n) => {
    const yPred = Array.from({length: n}, () => Array.from({length: classes}, () => Math.round(r() * 20) / 20));
    const yTrue = yPred.map((row) => {
      if (multiLabel) return row.map((p) => (r() < 0.6 ? (p > 0.5 ? 1 : 0) : r() < 0.5 ? 1 : 0));
      const c = r() < 0.5 ? row.indexOf(Math.max(...row)) : Math.floor(r() * classes);
      return row.map((_, j) => (j === c ? 1 : 0));
    });
    return {yTrue, yPred, sw: Array.from({length: n}, () => Math.round(r() * 6) / 4)};
  });
}

const unweighted = (bs: Batch[]) => bs.map(({yTrue, yPred}) => ({yTrue, yPred}));

describe('fBetaScore and f1Score', () => {
  const multiClass = data(11, [8, 21, 3, 16], 4, false);
  const multiLabel = data(12, [10, 25, 7], 5, true);
  const averages: FScoreAverage[] = [null, 'micro', 'macro', 'weighted'];

  it.each(averages)('average %s: streams to the float64 Keras formula (argmax, threshold, β, weights)', (average) => {
    const cases: [Batch[], number, number | null][] = [
      [multiClass, 1, null],
      [unweighted(multiClass), 2, null],
      [multiLabel, 0.5, 0.5],
      [unweighted(multiLabel), 1, 0.35],
    ];
    for (const [batches, beta, threshold] of cases) {
      const ours = streamedRows(fBetaScore({average, beta, ...(threshold === null ? {} : {threshold})}), batches);
      const expected = oracle(batches, average, beta, threshold);
      if (average === null) {
        expect((ours as number[]).length).toBe((expected as number[]).length);
        (ours as number[]).forEach((v, j) => expect(v).toBeCloseTo((expected as number[])[j]!, 5));
      } else {
        expect(ours as number).toBeCloseTo(expected as number, 5);
      }
    }
    const f1 = streamedRows(f1Score({average}), multiClass);
    expect(f1).toEqual(streamedRows(fBetaScore({average, beta: 1}), multiClass));
  });

  it("matches Keras' documented F1Score example (threshold 0.5, one value per class)", () => {
    const ours = streamedRows(f1Score({threshold: 0.5}), [
      {
        yTrue: [
          [1, 1, 1],
          [1, 0, 0],
          [1, 1, 0],
        ],
        yPred: [
          [0.2, 0.6, 0.7],
          [0.2, 0.6, 0.6],
          [0.6, 0.8, 0.0],
        ],
      },
    ]) as number[];
    [0.5, 0.8, 0.6666667].forEach((v, j) => expect(ours[j]).toBeCloseTo(v, 5));
  });

  it('marks every class tying for the maximum, and none when the maximum is 0 (Keras 3 argmax rule)', () => {
    const m = f1Score({average: null});
    let s = m.init();
    const yTrue = tf.tensor2d([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    const yPred = tf.tensor2d([
      [0.5, 0.5, 0],
      [0, 0, 0],
    ]);
    const n = m.update(s, yTrue, yPred);
    expect(Array.from(n.truePositives.dataSync())).toEqual([1, 0, 0]);
    expect(Array.from(n.falsePositives.dataSync())).toEqual([0, 1, 0]);
    expect(Array.from(n.falseNegatives.dataSync())).toEqual([0, 1, 0]);
    tf.dispose([s, n, yTrue, yPred]);
    s = m.init();
    expect(s.truePositives.shape).toEqual([0]);
    const r = m.result(s);
    expect(r.shape).toEqual([0]);
    tf.dispose([s, r]);
  });

  it('has Keras defaults, names and specs', () => {
    expect(f1Score().spec).toEqual({id: 'trellis/f1Score', config: {average: null, threshold: null, name: 'f1_score'}});
    expect(fBetaScore().spec).toEqual({id: 'trellis/fBetaScore', config: {average: null, beta: 1, threshold: null, name: 'fbeta_score'}});
    expect(fBetaScore({average: 'macro', beta: 0.5, threshold: 0.3, name: 'f'}).spec.config).toEqual({
      average: 'macro',
      beta: 0.5,
      threshold: 0.3,
      name: 'f',
    });
  });

  it('merges shard states into the whole-data state, empty states included', () => {
    const metric = f1Score({average: 'weighted'});
    const feed = (bs: Batch[]) => {
      let s = metric.init();
      for (const b of bs) {
        const [t, p, w] = [tf.tensor2d(b.yTrue), tf.tensor2d(b.yPred), tf.tensor1d(b.sw!)];
        const n = metric.update(s, t, p, w);
        tf.dispose([s, t, p, w]);
        s = n;
      }
      return s;
    };
    const a = feed(multiClass.slice(0, 2));
    const b = feed(multiClass.slice(2));
    const empty = metric.init();
    const merged = metric.merge!(metric.merge!(a, empty), b);
    const r = metric.result(merged);
    expect(r.dataSync()[0]).toBeCloseTo(oracle(multiClass, 'weighted', 1, null) as number, 5);
    tf.dispose([a, b, empty, merged, r]);
  });

  it('refuses bad options (ConfigError), bad shapes and a changed class count (ShapeError), bad states (StateError), leaving no tensors', async () => {
    expect(ConfigError.is(catchError(() => fBetaScore({average: 'samples' as never})))).toBe(true);
    expect(ConfigError.is(catchError(() => fBetaScore({beta: 0})))).toBe(true);
    expect(ConfigError.is(catchError(() => f1Score({threshold: 1.5})))).toBe(true);
    expect(ConfigError.is(catchError(() => f1Score({threshold: 0})))).toBe(true);
    expect(ConfigError.is(catchError(() => f1Score({beta: 2} as never)))).toBe(true);
    const m = f1Score();
    const s0 = m.init();
    const [t3, p3, t4, p4, ids] = [tf.ones([2, 3]), tf.ones([2, 3]), tf.ones([2, 4]), tf.ones([2, 4]), tf.ones([2])];
    const s1 = m.update(s0, t3, p3);
    await expectNoNewTensors(() => {
      const e = catchError(() => m.update(s1, t4, p4));
      expect(ShapeError.is(e)).toBe(true);
      expect(e.message).toMatch(/3 classes.*has 4/);
      expect(ShapeError.is(catchError(() => m.update(s0, ids, p3)))).toBe(true);
      expect(StateError.is(catchError(() => m.update({} as FBetaState, t3, p3)))).toBe(true);
    });
    tf.dispose([s0, s1, t3, p3, t4, p4, ids]);
  });

  it('leaks nothing', async () => {
    const m = fBetaScore({average: 'macro', beta: 2});
    const [t, p, w] = [tf.tensor2d(multiClass[0]!.yTrue), tf.tensor2d(multiClass[0]!.yPred), tf.tensor1d(multiClass[0]!.sw!)];
    await expectUpdateCycleLeakFree(m, t, p, w);
    tf.dispose([t, p, w]);
  });
});
