// @trellis/core imported before tfjs-core and before any backend must work.
import {ensureGradients, useBackend} from './index';
import {expect, it} from 'vitest';

it('works when imported before tfjs-core and any backend', async () => {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  expect(await useBackend('cpu')).toBe('cpu');
  ensureGradients();
  const g = tf.grad((x: import('@tensorflow/tfjs-core').Tensor) => tf.sum(tf.mul(x, x)))(tf.tensor1d([1, 2]));
  expect(Array.from(g.dataSync())).toEqual([2, 4]);
});
