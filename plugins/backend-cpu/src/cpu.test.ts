import * as tf from '@tensorflow/tfjs-core';
import {useBackend} from '@trellis/core';
import {describeBackendPlugin, expectNoTensorLeaks} from '@trellis/testing';
import {expect, it} from 'vitest';
import {cpu} from './index';

describeBackendPlugin('cpu', cpu, {capabilities: {training: true, threads: 1, syncReadback: true}}, () => {
  it('useBackend(cpu()) makes cpu the active backend and computes correctly', async () => {
    await expect(useBackend(cpu())).resolves.toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const a = [
      [1.5, -2, 0.25],
      [3, 0.5, -1],
    ];
    const b = [
      [2, -1],
      [0.5, 4],
      [-3, 1.25],
    ];
    const expected = a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
    const product = tf.tidy(() => tf.matMul(tf.tensor2d(a), tf.tensor2d(b)).arraySync() as number[][]);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) expect(product[i]![j]).toBeCloseTo(expected[i]![j]!, 5);
    }
  });

  it('leaks no tensors across repeated use', async () => {
    await useBackend(cpu());
    await expectNoTensorLeaks(async () => {
      await cpu().register();
      tf.tidy(() => tf.matMul(tf.ones([4, 3]), tf.ones([3, 2])).dataSync());
    });
  });
});
