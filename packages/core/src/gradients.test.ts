import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {beforeAll, expect, it} from 'vitest';
import {ensureGradients} from './gradients';
import {createRng, nextSeed, setSeed} from './seed';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

it('registers tfjs-core gradients', () => {
  expect(() => ensureGradients()).not.toThrow();
  const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, 2, 3]));
  expect(Array.from(g.dataSync())).toEqual([2, 4, 6]);
});

it('seeds a reproducible stream', () => {
  setSeed(42);
  const a = [nextSeed(), nextSeed(), nextSeed()];
  setSeed(42);
  expect([nextSeed(), nextSeed(), nextSeed()]).toEqual(a);
  expect(new Set(a).size).toBe(3);
  const r1 = createRng(7).shuffle([1, 2, 3, 4, 5, 6, 7, 8]);
  const r2 = createRng(7).shuffle([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(r1).toEqual(r2);
  expect([...r1].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
});
