// An app that imported @tensorflow/tfjs-backend-webgpu before navigator.gpu
// existed (in Node, before Dawn): the package registered no backend then, so
// register() registers the same factory itself.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import {describe, expect, it} from 'vitest';

const importedWithoutGpu = tf.findBackendFactory('webgpu') == null;
const {expectWebGpu, skipWithoutWebGpu} = await import('./webgpu-env');
const {skip, availability} = await skipWithoutWebGpu('registration after an early import of tfjs-backend-webgpu');

describe.skipIf(skip)('webgpu() after @tensorflow/tfjs-backend-webgpu was imported without navigator.gpu', () => {
  it('registers the webgpu backend itself, and it computes', async () => {
    expectWebGpu(availability);
    expect(importedWithoutGpu).toBe(true);
    expect(tf.findBackendFactory('webgpu')).not.toBeNull();
    await tf.setBackend('webgpu');
    try {
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, -2, 3]));
      expect(Array.from(await g.data())).toEqual([2, -4, 6]);
      g.dispose();
    } finally {
      await tf.setBackend('cpu');
    }
  });
});
