import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, DTypeError} from '@trellis/core';
import {expectNoNewTensors, expectNoTensorLeaks} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {orthogonal} from './index';

beforeAll(() => tf.setBackend('cpu'));

/** Largest |(MᵀM or MMᵀ) - gain²·I| over the smaller Gram matrix of the flattened [rows, cols] matrix. */
function gramError(w: tf.Tensor, gain: number): number {
  return tf.tidy(() => {
    const cols = w.shape[w.shape.length - 1]!;
    const m = tf.reshape(w, [-1, cols]);
    const rows = m.shape[0]!;
    const gram = rows >= cols ? tf.matMul(m, m, true, false) : tf.matMul(m, m, false, true);
    const size = Math.min(rows, cols);
    return tf.max(tf.abs(tf.sub(gram, tf.mul(tf.eye(size), gain * gain)))).dataSync()[0]!;
  });
}

describe('orthogonal', () => {
  it.each([
    [[40, 20], 1],
    [[20, 40], 1],
    [[30, 30], 2.5],
    [[3, 3, 4, 8], 0.5],
    [[2, 2, 3, 16], 1],
  ])('shape %j, gain %d: QᵀQ = gain²·I within 1e-5', (shape, gain) => {
    const w = orthogonal({gain, seed: 7})(shape, 'float32');
    expect(w.shape).toEqual(shape);
    expect(gramError(w, gain)).toBeLessThan(1e-5);
    w.dispose();
  });

  it('is not the identity and is seeded', () => {
    const a = orthogonal({seed: 1})([5, 5], 'float32');
    const b = orthogonal()([5, 5], 'float32', 1);
    const c = orthogonal({seed: 2})([5, 5], 'float32');
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(tf.tidy(() => tf.eye(5)).dataSync()));
    tf.dispose([a, b, c]);
  });

  it('rejects rank < 2, int32 and bad gains, without leaking', async () => {
    expect(() => orthogonal()([4], 'float32')).toThrow(ConfigError);
    expect(() => orthogonal()([4], 'float32')).toThrow(/orthogonal: shape must have rank 2 or more; got \[4\]/);
    expect(() => orthogonal()([2, 2], 'int32')).toThrow(DTypeError);
    expect(() => orthogonal({gain: Number.POSITIVE_INFINITY})).toThrow(/orthogonal: gain must be a finite number/);
    await expectNoNewTensors(() => orthogonal()([4], 'float32'));
    await expectNoTensorLeaks(() => orthogonal({seed: 3})([6, 4], 'float32').dispose());
    expect(orthogonal().spec).toEqual({id: 'trellis/orthogonal', config: {gain: 1}});
  });
});
