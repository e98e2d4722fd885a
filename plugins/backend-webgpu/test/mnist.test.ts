// A short MNIST fit on webgpu (the main job's MLP, smaller): 1,024 training
// images, two epochs of 16 batches, Adam; the same fit on cpu gives the same
// losses and accuracies (training accuracy, the metric of the fit loop, kept
// on the device until the epoch ends).
//
// Tolerance: 32 Adam steps pass each step's rounding differences (≤ 1e-6
// relative, see ./compare.ts) on to the next; early Adam steps divide by
// √v ≈ |g|, which amplifies them. Epoch losses agreeing to 1e-3 relative
// (observed: about 1e-6) rules out any wrong kernel, which would show in the
// first epoch's loss at the percent level.
//
// `fitDataset`, streaming batches; `fit` on arrays and GPU tensors is
// compared with cpu in ./fit-arrays.test.ts.
import * as tf from '@tensorflow/tfjs-core';
import {Sequential, setSeed} from '@trellis/core';
import {loadMnist} from '@trellis/data';
import {dense, dropout, sparseCategoricalCrossentropy} from '@trellis/layers';
import {accuracy} from '@trellis/metrics';
import {adam} from '@trellis/optimizers';
import {describe, expect, it} from 'vitest';
import {expectWebGpu, skipWithoutWebGpu} from './webgpu-env';

const {skip, availability} = await skipWithoutWebGpu('the MNIST fit on webgpu');

const SAMPLES = 1024;
const BATCH = 64;

type Data = {x: Float32Array; y: Int32Array};

async function fitOn(backend: 'cpu' | 'webgpu', data: Data): Promise<{loss: number[]; accuracy: number[]}> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  setSeed(42);
  const model = new Sequential([
    dense({units: 64, activation: 'relu', inputShape: [784]}),
    dropout({rate: 0.1}),
    dense({units: 10, activation: 'softmax'}),
  ]);
  model.compile({optimizer: adam({learningRate: 3e-3}), loss: sparseCategoricalCrossentropy(), metrics: [accuracy()]});
  // Batches made from host arrays (the loss checks each batch's targets with an asynchronous readback).
  const batches = () =>
    Array.from({length: SAMPLES / BATCH}, (_, i) => ({
      x: tf.tensor2d(data.x.subarray(i * BATCH * 784, (i + 1) * BATCH * 784), [BATCH, 784]),
      y: tf.tensor1d(data.y.subarray(i * BATCH, (i + 1) * BATCH), 'int32'),
    }));
  const history = await model.fitDataset(batches, {epochs: 2, batchesPerEpoch: SAMPLES / BATCH, verbose: 0});
  model.dispose();
  expect(tf.memory().numTensors, `tensors leaked on ${backend}`).toBe(before);
  await tf.setBackend('cpu');
  return {loss: history.history.loss!, accuracy: history.history.accuracy!};
}

describe.skipIf(skip)('MNIST on webgpu', () => {
  it('a short fit learns, with the same losses and accuracy as on cpu', async () => {
    expectWebGpu(availability);
    const {train} = await loadMnist({split: 'train', samples: SAMPLES});
    const data = {x: (await train.x.data()) as Float32Array, y: (await train.y.data()) as Int32Array};
    tf.dispose(train);
    {
      const cpu = await fitOn('cpu', data);
      const gpu = await fitOn('webgpu', data);
      expect(gpu.loss[1]!).toBeLessThan(gpu.loss[0]!);
      expect(gpu.accuracy[1]!).toBeGreaterThan(0.8);
      gpu.loss.forEach((loss, epoch) =>
        expect(Math.abs(loss - cpu.loss[epoch]!) / cpu.loss[epoch]!, `epoch ${epoch + 1} loss`).toBeLessThan(1e-3),
      );
      gpu.accuracy.forEach((a, epoch) =>
        expect(Math.abs(a - cpu.accuracy[epoch]!), `epoch ${epoch + 1} accuracy`).toBeLessThanOrEqual(2 / SAMPLES),
      );
      console.info(
        `MNIST ${SAMPLES} samples, 2 epochs: cpu loss ${cpu.loss.join(', ')} accuracy ${cpu.accuracy}; webgpu loss ${gpu.loss.join(', ')} accuracy ${gpu.accuracy}`,
      );
    }
  });
});
