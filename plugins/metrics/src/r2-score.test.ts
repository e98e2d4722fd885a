import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError} from '@trellis/core';
import {catchError, expectNoNewTensors, expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {r2Score, type R2ScoreConfig} from './r2-score';
import {streamedRows, type RowBatch} from '../test/streaming';

beforeAll(() => tf.setBackend('cpu'));

type Batch = RowBatch;

function streamed(config: R2ScoreConfig, batches: readonly Batch[]): number | number[] {
  return streamedRows(r2Score(config), batches);
}

/** Weighted R² per output in float64 (scikit-learn's r2_score definition). */
function perOutput(batches: readonly Batch[]): {scores: number[]; totals: number[]; n: number} {
  const rows = batches.flatMap((b) => b.yTrue.map((t, i) => ({t, p: b.yPred[i]!, w: b.sw ? b.sw[i]! : 1})));
  const k = rows[0]!.t.length;
  const scores: number[] = [];
  const totals: number[] = [];
  for (let j = 0; j < k; j++) {
    const W = rows.reduce((a, r) => a + r.w, 0);
    const mean = rows.reduce((a, r) => a + r.w * r.t[j]!, 0) / W;
    const tot = rows.reduce((a, r) => a + r.w * (r.t[j]! - mean) ** 2, 0);
    const res = rows.reduce((a, r) => a + r.w * (r.t[j]! - r.p[j]!) ** 2, 0);
    scores.push(1 - res / tot);
    totals.push(tot);
  }
  return {scores, totals, n: rows.filter((r) => r.w !== 0).length};
}

describe('r2Score', () => {
  const r = randomGenerator(9);
  const batches: Batch[] = [8, 13, 2, 9].map((n) => {
    const yTrue = Array.from({length: n}, () => [r() * 4, r() * 0.5 - 2]);
    return {
      yTrue,
      yPred: yTrue.map((row) => row.map((v) => v + (r() - 0.5) * 0.6)),
      sw: Array.from({length: n}, () => Math.round(r() * 6) / 4),
    };
  });
  const plain = batches.map(({yTrue, yPred}) => ({yTrue, yPred}));

  it('streams to the weighted per-output R² and aggregates as Keras', () => {
    for (const data of [plain, batches]) {
      const {scores, totals} = perOutput(data);
      const ours = streamed({classAggregation: null}, data) as number[];
      ours.forEach((v, j) => expect(v).toBeCloseTo(scores[j]!, 4));
      expect(streamed({}, data)).toBeCloseTo((scores[0]! + scores[1]!) / 2, 4);
      const vw = (totals[0]! * scores[0]! + totals[1]! * scores[1]!) / (totals[0]! + totals[1]!);
      expect(streamed({classAggregation: 'variance_weighted_average'}, data)).toBeCloseTo(vw, 4);
      expect(streamed({classAggregation: 'variance_weighted'}, data)).toBeCloseTo(vw, 4);
    }
  });

  it('adjusts for numRegressors when p < n − 1 and falls back to the plain score otherwise', () => {
    const {scores, n} = perOutput(batches);
    const plainScore = (scores[0]! + scores[1]!) / 2;
    expect(streamed({numRegressors: 3}, batches)).toBeCloseTo(1 - ((1 - plainScore) * (n - 1)) / (n - 3 - 1), 4);
    expect(streamed({numRegressors: n - 1}, batches)).toBeCloseTo(plainScore, 4);
    expect(streamed({numRegressors: n + 5}, batches)).toBeCloseTo(plainScore, 4);
  });

  it('reads 0 for a constant target with residuals, as Keras', () => {
    const value = streamed({}, [{yTrue: [[1], [1], [1]], yPred: [[1], [2], [0]]}]);
    expect(value).toBe(0);
  });

  it('has Keras defaults and spec, and refuses bad options and shapes', async () => {
    expect(r2Score().spec).toEqual({
      id: 'trellis/r2Score',
      config: {classAggregation: 'uniform_average', numRegressors: 0, name: 'r2_score'},
    });
    expect(ConfigError.is(catchError(() => r2Score({classAggregation: 'raw' as never})))).toBe(true);
    expect(ConfigError.is(catchError(() => r2Score({numRegressors: -1})))).toBe(true);
    const m = r2Score();
    const s0 = m.init();
    const [a2, a3, rank3] = [tf.ones([4, 2]), tf.ones([4, 3]), tf.ones([4, 2, 2])];
    const s1 = m.update(s0, a2, a2);
    await expectNoNewTensors(() => {
      expect(catchError(() => m.update(s1, a3, a3)).message).toMatch(/2 outputs.*has 3/);
      expect(ShapeError.is(catchError(() => m.update(s0, rank3, rank3)))).toBe(true);
    });
    await expectNoTensorLeaks(() => {
      const n = m.update(s1, a2, a2);
      const merged = m.merge!(n, s0);
      const res = m.result(merged);
      tf.dispose([n, merged, res]);
    });
    tf.dispose([s0, s1, a2, a3, rank3]);
  });
});
