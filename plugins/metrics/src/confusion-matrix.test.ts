import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, ShapeError} from '@trellis/core';
import {catchError, expectNoNewTensors, randomGenerator} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {confusionMatrix} from './confusion-matrix';
import {expectUpdateCycleLeakFree} from '../test/update-cycle';

beforeAll(() => tf.setBackend('cpu'));

function oracle(labels: readonly number[], preds: readonly number[], n: number, weights?: readonly number[]): number[][] {
  const m = Array.from({length: n}, () => new Array<number>(n).fill(0));
  labels.forEach((t, i) => {
    m[t]![preds[i]!]! += weights ? weights[i]! : 1;
  });
  return m;
}

function read(t: tf.Tensor): number[][] {
  return t.arraySync() as number[][];
}

describe('confusionMatrix', () => {
  const n = 4;
  const r = randomGenerator(21);
  const sizes = [7, 19, 1, 13];
  const scores = sizes.map((s) => Array.from({length: s}, () => Array.from({length: n}, () => r())));
  const preds = scores.map((b) => b.map((row) => row.indexOf(Math.max(...row))));
  const labels = preds.map((b) => b.map((p) => (r() < 0.5 ? p : Math.floor(r() * n))));
  const weights = sizes.map((s) => Array.from({length: s}, () => Math.round(r() * 8) / 4));

  function stream(make: (i: number) => [tf.Tensor, tf.Tensor, tf.Tensor?]): number[][] {
    const metric = confusionMatrix({numClasses: n});
    let state = metric.init();
    sizes.forEach((_, i) => {
      const inputs = make(i);
      const next = metric.update(state, inputs[0], inputs[1], inputs[2]);
      tf.dispose([state, ...inputs.filter((x) => x !== undefined)]);
      state = next;
    });
    const res = metric.result(state);
    expect(res.shape).toEqual([n, n]);
    expect(res.dtype).toBe('float32');
    const value = read(res);
    tf.dispose([state, res]);
    return value;
  }

  it('accumulates rows true × columns predicted over batches, from ids, [batch, 1], one-hot and scores', () => {
    const expected = oracle(labels.flat(), preds.flat(), n);
    expect(stream((i) => [tf.tensor1d(labels[i]!, 'int32'), tf.tensor2d(scores[i]!)])).toEqual(expected);
    expect(stream((i) => [tf.tensor2d(labels[i]!, [sizes[i]!, 1]), tf.tensor1d(preds[i]!, 'int32')])).toEqual(expected);
    expect(stream((i) => [tf.oneHot(tf.tensor1d(labels[i]!, 'int32'), n), tf.tensor2d(scores[i]!)])).toEqual(expected);
  });

  it('weights each sample by sampleWeight ([batch] and [batch, 1])', () => {
    const expected = oracle(labels.flat(), preds.flat(), n, weights.flat());
    const ours = stream((i) => [tf.tensor1d(labels[i]!, 'int32'), tf.tensor2d(scores[i]!), tf.tensor1d(weights[i]!)]);
    ours.forEach((row, a) => row.forEach((v, b) => expect(v).toBeCloseTo(expected[a]![b]!, 5)));
    const column = stream((i) => [tf.tensor1d(labels[i]!, 'int32'), tf.tensor2d(scores[i]!), tf.tensor2d(weights[i]!, [sizes[i]!, 1])]);
    expect(column).toEqual(ours);
  });

  it('has a spec, merges shards, and its result is a new tensor', () => {
    const m = confusionMatrix({numClasses: 3});
    expect(m.spec).toEqual({id: 'trellis/confusionMatrix', config: {numClasses: 3, name: 'confusion_matrix'}});
    expect(m.name).toBe('confusion_matrix');
    const [t1, p1, t2, p2] = [
      tf.tensor1d([0, 1], 'int32'),
      tf.tensor1d([0, 2], 'int32'),
      tf.tensor1d([2], 'int32'),
      tf.tensor1d([2], 'int32'),
    ];
    const s0 = m.init();
    const a = m.update(s0, t1, p1);
    const b = m.update(s0, t2, p2);
    const merged = m.merge!(a, b);
    const res = m.result(merged);
    expect(res).not.toBe(merged.matrix);
    expect(read(res)).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 1],
    ]);
    tf.dispose([t1, p1, t2, p2, s0, a, b, merged, res]);
  });

  it('refuses labels outside [0, numClasses) with a DataError naming the value and numClasses, leaving no tensors', async () => {
    const m = confusionMatrix({numClasses: 3});
    const s = m.init();
    const [big, negative, fraction, ok, scores3, scores4, binary] = [
      tf.tensor1d([0, 3, 1], 'int32'),
      tf.tensor1d([0, -1, 1], 'int32'),
      tf.tensor1d([0, 1.5, 1]),
      tf.tensor1d([0, 1, 2], 'int32'),
      tf.ones([3, 3]),
      tf.ones([3, 4]),
      tf.ones([3, 1]),
    ];
    await expectNoNewTensors(() => {
      const e = catchError(() => m.update(s, big, scores3));
      expect(DataError.is(e)).toBe(true);
      expect(e.message).toMatch(/class id 3, outside \[0, 3\) for numClasses 3.*numClasses: 4/);
      expect(catchError(() => m.update(s, negative, scores3)).message).toMatch(/class id -1/);
      expect(DataError.is(catchError(() => m.update(s, ok, big)))).toBe(true);
      expect(DataError.is(catchError(() => m.update(s, fraction, scores3)))).toBe(true);
      expect(catchError(() => m.update(s, ok, scores4)).message).toMatch(/numClasses: 4/);
      expect(catchError(() => m.update(s, ok, binary)).message).toMatch(/threshold them/);
      expect(ShapeError.is(catchError(() => m.update(s, scores4, scores3)))).toBe(true);
    });
    expect(ConfigError.is(catchError(() => confusionMatrix({} as never)))).toBe(true);
    expect(ConfigError.is(catchError(() => confusionMatrix({numClasses: 2.5})))).toBe(true);
    expect(catchError(() => confusionMatrix({numClases: 3} as never)).message).toMatch(/did you mean 'numClasses'/);
    tf.dispose([s, big, negative, fraction, ok, scores3, scores4, binary]);
  });

  it('leaks nothing', async () => {
    const m = confusionMatrix({numClasses: n});
    const [t, p, w] = [tf.tensor1d(labels[1]!, 'int32'), tf.tensor2d(scores[1]!), tf.tensor1d(weights[1]!)];
    await expectUpdateCycleLeakFree(m, t, p, w);
    tf.dispose([t, p, w]);
  });
  it('has nothing to wait for where class ids are checked synchronously: settled() resolves', async () => {
    const m = confusionMatrix({numClasses: n});
    const [t, p] = [tf.tensor1d(labels[1]!, 'int32'), tf.tensor2d(scores[1]!)];
    const s = m.init();
    const next = m.update(s, t, p);
    await expect(m.settled!()).resolves.toBeUndefined();
    tf.dispose([t, p, s, next]);
  });
});
