import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError} from '@trellis/core';
import {catchError, expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {trainValidationSplit} from './train-validation-split';

beforeAll(() => tf.setBackend('cpu'));

describe('trainValidationSplit', () => {
  it('holds out the last fraction, in order, with Keras sizes floor(n * (1 - f))', () => {
    const x = tf.tensor2d(
      Array.from({length: 20}, (_, i) => i),
      [10, 2],
    );
    const y = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'int32');
    const {train, validation} = trainValidationSplit(x, y, 0.3);
    expect(train.x.shape).toEqual([7, 2]);
    expect(validation.x.shape).toEqual([3, 2]);
    expect(Array.from(train.y.dataSync())).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(validation.y.dataSync())).toEqual([7, 8, 9]);
    expect(Array.from(validation.x.dataSync())).toEqual([14, 15, 16, 17, 18, 19]);
    expect(train.y.dtype).toBe('int32');
    expect(x.isDisposed || y.isDisposed).toBe(false);
    tf.dispose([x, y, train, validation]);
  });

  it('matches floor(n * (1 - f)) for many sizes and fractions', () => {
    for (const n of [3, 7, 10, 99, 1000]) {
      for (const f of [0.1, 0.2, 0.25, 0.3, 0.5, 0.7]) {
        const at = Math.floor(n * (1 - f));
        if (at === 0 || at === n) continue;
        const x = tf.zeros([n, 1, 2]);
        const y = tf.zeros([n]);
        const s = trainValidationSplit(x, y, f);
        expect([s.train.x.shape[0], s.validation.x.shape[0], s.validation.y.shape[0]]).toEqual([at, n - at, n - at]);
        expect(s.validation.x.shape.slice(1)).toEqual([1, 2]);
        tf.dispose([x, y, s.train, s.validation]);
      }
    }
  });

  it('fraction 0 gives everything to training and an empty validation part', () => {
    const x = tf.ones([4, 3]);
    const y = tf.ones([4]);
    const s = trainValidationSplit(x, y, 0);
    expect(s.train.x.shape).toEqual([4, 3]);
    expect(s.validation.x.shape).toEqual([0, 3]);
    tf.dispose([x, y, s.train, s.validation]);
  });

  it('rejects bad fractions (ConfigError) and mismatched lengths (ShapeError) without leaking', async () => {
    const x = tf.ones([4, 3]);
    const y = tf.ones([5]);
    const y4 = tf.ones([4]);
    for (const f of [-0.1, 1, 1.5, NaN, '0.2' as unknown as number]) {
      expect(ConfigError.is(catchError(() => trainValidationSplit(x, y4, f)))).toBe(true);
    }
    expect(ConfigError.is(catchError(() => trainValidationSplit(x, y4, 1e-17)))).toBe(true); // no validation sample
    expect(ConfigError.is(catchError(() => trainValidationSplit(x, y4, 0.9)))).toBe(true); // no training sample
    const e = catchError(() => trainValidationSplit(x, y, 0.5));
    expect(ShapeError.is(e)).toBe(true);
    expect(e.message).toContain('[4, 3]');
    expect(e.message).toContain('[5]');
    const s = tf.scalar(1);
    expect(ShapeError.is(catchError(() => trainValidationSplit(s, y, 0.5)))).toBe(true);
    await expectNoNewTensors(() => trainValidationSplit(x, y, 0.5));
    await expectNoNewTensors(() => trainValidationSplit(x, y4, 2));
    await expectNoNewTensors(() => {
      const r = trainValidationSplit(x, y4, 0.5);
      tf.dispose([r.train, r.validation]);
    });
    tf.dispose([x, y, y4, s]);
  });
});
