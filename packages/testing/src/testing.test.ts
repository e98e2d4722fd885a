import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {beforeAll, describe, expect, it} from 'vitest';
import {
  catchError,
  catchErrorAsync,
  countTensorsAcross,
  expectNoNewTensors,
  expectNoTensorLeaks,
  randomGenerator,
  randomValues,
} from './index';

beforeAll(() => tf.setBackend('cpu'));

describe('leak checks', () => {
  it('pass for a flat action and fail for a leaking one', async () => {
    const kept: tf.Tensor[] = [];
    await expect(expectNoTensorLeaks(() => tf.tidy(() => tf.add(1, 2)).dispose())).resolves.toBeDefined();
    await expect(expectNoTensorLeaks(() => void kept.push(tf.scalar(1)))).rejects.toThrow(/Tensor leak/);
    tf.dispose(kept);
  });

  it('allow a one-time allocation on the first run', async () => {
    let slot: tf.Tensor | null = null;
    const counts = await expectNoTensorLeaks(() => void (slot ??= tf.scalar(0)), {times: 4});
    expect(counts.after[0]).toBe(counts.before + 1);
    slot!.dispose();
  });

  it('count tensors returned as intended, and catch leaks in throwing code', async () => {
    await expect(expectNoNewTensors(() => tf.scalar(1))).resolves.toBeUndefined();
    await expect(
      expectNoNewTensors(() => {
        tf.scalar(1);
        throw new Error('x');
      }),
    ).rejects.toThrow(/Tensor leak/);
    const counts = await countTensorsAcross(2, () => undefined);
    expect(counts.after).toEqual([counts.before, counts.before]);
  });
});

describe('catchError', () => {
  it('returns the thrown error and fails when nothing throws', async () => {
    expect(
      catchError(() => {
        throw new RangeError('r');
      }),
    ).toBeInstanceOf(RangeError);
    expect(() => catchError(() => 1)).toThrow(/Expected the function to throw/);
    expect((await catchErrorAsync(() => Promise.reject(new Error('a')))).message).toBe('a');
    await expect(catchErrorAsync(() => Promise.resolve(1))).rejects.toThrow(/Expected the promise to reject/);
  });
});

describe('random', () => {
  it('is seeded', () => {
    expect(Array.from(randomValues(5, 3))).toEqual(Array.from(randomValues(5, 3)));
    expect(Array.from(randomValues(5, 3))).not.toEqual(Array.from(randomValues(5, 4)));
    const next = randomGenerator(1);
    const v = next();
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThan(1);
  });
});
