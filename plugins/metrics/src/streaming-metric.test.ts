import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, StateError, type Metric} from '@trellis/core';
import {catchError, catchErrorAsync, expectNoNewTensors, expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {accuracy} from './accuracy';
import {binaryAccuracy} from './binary-accuracy';
import {confusionMatrix} from './confusion-matrix';
import {f1Score} from './f-beta-score';
import {sparseCategoricalAccuracy} from './sparse-categorical-accuracy';
import {StreamingMetric} from './streaming-metric';

beforeAll(() => tf.setBackend('cpu'));

describe('StreamingMetric', () => {
  const r = randomGenerator(7);
  const n = 64;
  const classes = 5;
  const rows = Array.from({length: n}, () => Array.from({length: classes}, () => r()));
  const best = rows.map((row) => row.indexOf(Math.max(...row)));
  const ids = best.map((b) => (r() < 0.55 ? b : Math.floor(r() * classes)));
  const weights = ids.map(() => 0.25 + r());
  const oracle = (from: number, to: number, weighted: boolean) => {
    let num = 0;
    let den = 0;
    for (let i = from; i < to; i++) {
      const w = weighted ? weights[i]! : 1;
      num += (best[i] === ids[i] ? 1 : 0) * w;
      den += w;
    }
    return num / den;
  };

  it('accumulates over batches to the whole-data value (weighted and not), like Keras update_state/result', async () => {
    const yPred = tf.tensor2d(rows);
    const yTrue = tf.tensor1d(ids, 'int32');
    const sw = tf.tensor1d(weights);
    const plain = new StreamingMetric(accuracy());
    const weighted = new StreamingMetric(sparseCategoricalAccuracy());
    expect(plain.name).toBe('accuracy');
    expect(plain.result()).toBe(0);
    const cuts = [0, 5, 21, 22, 50, 64];
    for (let i = 1; i < cuts.length; i++) {
      const [a, b] = [cuts[i - 1]!, cuts[i]!];
      const part = (t: tf.Tensor) => tf.slice(t, a, b - a);
      const [yp, yt, w] = [part(yPred), part(yTrue), part(sw)];
      plain.update(yt, yp);
      weighted.update(yt, yp, w);
      tf.dispose([yp, yt, w]);
      expect(plain.result()).toBeCloseTo(oracle(0, b, false), 6);
      expect(weighted.result()).toBeCloseTo(oracle(0, b, true), 6);
    }
    expect(await weighted.resultAsync()).toBeCloseTo(oracle(0, n, true), 6);
    const t = weighted.resultTensor();
    expect(t.dataSync()[0]).toBeCloseTo(oracle(0, n, true), 6);
    t.dispose();

    plain.reset();
    expect(plain.result()).toBe(0);
    plain.update(yTrue, yPred);
    expect(plain.result()).toBeCloseTo(oracle(0, n, false), 6);
    tf.dispose([yPred, yTrue, sw]);
    plain.dispose();
    weighted.dispose();
  });

  it('merges another streaming metric (shards) without changing it', () => {
    const yPred = tf.tensor2d(rows);
    const yTrue = tf.tensor1d(ids, 'int32');
    const a = new StreamingMetric(sparseCategoricalAccuracy());
    const b = new StreamingMetric(sparseCategoricalAccuracy());
    const [p1, p2] = tf.split(yPred, [40, 24]);
    const [t1, t2] = tf.split(yTrue, [40, 24]);
    a.update(t1!, p1!);
    b.update(t2!, p2!);
    a.merge(b);
    expect(a.result()).toBeCloseTo(oracle(0, n, false), 6);
    expect(b.result()).toBeCloseTo(oracle(40, n, false), 6);
    tf.dispose([yPred, yTrue, p1!, p2!, t1!, t2!]);
    a.dispose();
    b.dispose();
  });

  it('keeps the tensor count flat across update/result/reset and returns to baseline on dispose', async () => {
    const baseline = tf.memory().numTensors;
    const yPred = tf.tensor2d([0.9, 0.1, 0.7, 0.3], [4, 1]);
    const yTrue = tf.tensor2d([1, 0, 0, 0], [4, 1]);
    const sw = tf.tensor1d([1, 2, 3, 4]);
    const m = new StreamingMetric(binaryAccuracy());
    await expectNoTensorLeaks(
      async (run) => {
        m.update(yTrue, yPred, sw);
        m.result();
        await m.resultAsync();
        if (run % 2 === 1) m.reset();
      },
      {times: 6},
    );
    // The last run reset the state. Predictions [1, 0, 1, 0] vs [1, 0, 0, 0]: only sample 2 misses → (1 + 2 + 4) / 10.
    m.update(yTrue, yPred, sw);
    expect(m.result()).toBeCloseTo(0.7, 6);
    m.dispose();
    m.dispose();
    tf.dispose([yPred, yTrue, sw]);
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('keeps the old state when an update throws, and only disposes replaced tensors', () => {
    const m = new StreamingMetric(sparseCategoricalAccuracy());
    const yPred = tf.tensor2d([[0.1, 0.9]]);
    const yTrue = tf.tensor1d([1], 'int32');
    m.update(yTrue, yPred);
    const state = m.state;
    const bad = tf.ones([2]);
    expect(catchError(() => m.update(bad, yPred)).name).toBe('ShapeError');
    expect(m.state).toBe(state);
    expect(m.result()).toBe(1);

    // A metric whose update passes a slot through: the facade must not dispose it.
    const keep = tf.scalar(42);
    const passThrough: Metric<{fixed: tf.Scalar; n: tf.Scalar}> = {
      spec: {id: 'test/pass', config: {}},
      name: 'pass',
      init: () => ({fixed: keep, n: tf.scalar(0)}),
      update: (s) => ({fixed: s.fixed, n: tf.add(s.n, 1)}),
      result: (s) => tf.clone(s.n),
    };
    const p = new StreamingMetric(passThrough);
    p.update(yTrue, yPred);
    p.update(yTrue, yPred);
    expect(keep.isDisposed).toBe(false);
    expect(p.result()).toBe(2);
    p.dispose();
    expect(keep.isDisposed).toBe(true);
    tf.dispose([yPred, yTrue, bad]);
    m.dispose();
  });

  it('rejects use after dispose (StateError), non-metrics and merge without support (ConfigError)', () => {
    const m = new StreamingMetric(accuracy());
    m.dispose();
    expect(m.isDisposed).toBe(true);
    expect(StateError.is(catchError(() => m.result()))).toBe(true);
    expect(StateError.is(catchError(() => m.reset()))).toBe(true);
    expect(ConfigError.is(catchError(() => new StreamingMetric({} as Metric)))).toBe(true);
    const noMerge: Metric<tf.Scalar> = {
      spec: {id: 'test/nomerge', config: {}},
      name: 'nomerge',
      init: () => tf.scalar(0),
      update: (s) => tf.clone(s),
      result: (s) => tf.clone(s),
    };
    const a = new StreamingMetric(noMerge);
    const b = new StreamingMetric(noMerge);
    expect(ConfigError.is(catchError(() => a.merge(b)))).toBe(true);
    a.dispose();
    b.dispose();
  });

  it('reads non-scalar results with resultValue(): result() refuses them with a StateError pointing there', async () => {
    const cm = new StreamingMetric(confusionMatrix({numClasses: 3}));
    const f1 = new StreamingMetric(f1Score());
    const ids = tf.tensor1d([0, 1, 2, 2], 'int32');
    const scores = tf.tensor2d([
      [0.9, 0.1, 0],
      [0.2, 0.7, 0.1],
      [0.1, 0.1, 0.8],
      [0.6, 0.3, 0.1],
    ]);
    const hot = tf.oneHot(ids, 3);
    cm.update(ids, scores);
    f1.update(hot, scores);
    const expected = [
      [1, 0, 0],
      [0, 1, 0],
      [1, 0, 1],
    ];
    await expectNoNewTensors(async () => {
      expect(cm.resultValue()).toEqual(expected);
      expect(await cm.resultValueAsync()).toEqual(expected);
      const e = catchError(() => cm.result());
      expect(StateError.is(e)).toBe(true);
      expect(e.message).toMatch(/shape \[3, 3\].*resultValue\(\)/);
      expect(StateError.is(await catchErrorAsync(() => f1.resultAsync()))).toBe(true);
      const perClass = f1.resultValue() as number[];
      expect(perClass).toHaveLength(3);
      expect(perClass[1]).toBeCloseTo(1, 5);
    });
    const t = cm.resultTensor();
    expect(t.shape).toEqual([3, 3]);
    t.dispose();
    const acc = new StreamingMetric(accuracy());
    expect(acc.resultValue()).toBe(0);
    tf.dispose([ids, scores, hot]);
    cm.dispose();
    f1.dispose();
    acc.dispose();
  });
});
