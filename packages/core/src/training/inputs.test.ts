import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {beforeAll, expect, it} from 'vitest';
import {DataError} from '../errors';
import {checkFinite} from './inputs';

beforeAll(() => tf.setBackend('cpu'));

it('accepts finite data whose sum overflows float32', async () => {
  const big = tf.fill([4, 3], 3e38);
  await expect(checkFinite(big, 'x')).resolves.toBeUndefined();
  big.dispose();
});

it('names the first non-finite sample, scanning in chunks, without leaking', async () => {
  const values = new Float32Array(70_000 * 2).fill(1);
  values[2 * 66_001 + 1] = Number.NEGATIVE_INFINITY;
  values[2 * 69_000] = NaN;
  const x = tf.tensor2d(values, [70_000, 2]);
  const before = tf.memory().numTensors;
  await expect(checkFinite(x, 'x')).rejects.toThrow(DataError);
  await expect(checkFinite(x, 'x')).rejects.toThrow(/x holds -Infinity at sample 66001 \(flat index 132003\)/);
  expect(tf.memory().numTensors).toBe(before);
  x.dispose();
});
