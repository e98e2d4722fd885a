// Times one training step of a small CNN (forward + every gradient) on the
// wasm backend with Trellis' kernels and on the cpu backend, and MaxPoolGrad
// and the input gradient of a convolution with the stock wasm kernels and with
// Trellis'. (The stock wasm backend cannot run the step: it has no
// Conv2DBackpropFilter.)
// Not a test: speed is never asserted.
//
//   cd plugins/backend-wasm && npx vitest bench --run scripts/conv-training.bench.ts
//
// The model: [64, 28, 28, 1] → conv 3×3×32 (valid, relu) → maxPool 2 →
// conv 3×3×64 (valid, relu) → maxPool 2 → sum of squares.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {useBackend} from '@trellis/core';
import {bench, describe} from 'vitest';
import {restoreStockKernels, wasm} from '../src/index';

await useBackend(wasm());

type Weights = {x: tf.Tensor4D; w1: tf.Tensor4D; w2: tf.Tensor4D};

function weights(): Weights {
  return {
    x: tf.randomUniform([64, 28, 28, 1]) as tf.Tensor4D,
    w1: tf.randomNormal([3, 3, 1, 32], 0, 0.3) as tf.Tensor4D,
    w2: tf.randomNormal([3, 3, 32, 64], 0, 0.1) as tf.Tensor4D,
  };
}

function step({x, w1, w2}: Weights): void {
  tf.tidy(() => {
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
      const h = tf.maxPool(tf.relu(tf.conv2d(x, a as tf.Tensor4D, 1, 'valid')), 2, 2, 'valid');
      const y = tf.maxPool(tf.relu(tf.conv2d(h, b as tf.Tensor4D, 1, 'valid')), 2, 2, 'valid');
      return tf.sum(tf.square(y));
    })([w1, w2]);
    for (const g of grads) g.dataSync();
  });
}

const onWasm = weights();
await tf.setBackend('cpu');
const onCpu = weights();
await tf.setBackend('wasm');

describe('CNN training step, batch 64 of 28×28×1', () => {
  bench(
    'wasm, Trellis kernels',
    async () => {
      await tf.setBackend('wasm');
      step(onWasm);
    },
    {time: 3000, warmupIterations: 2},
  );
  // The cpu backend's convolution gradients are scalar loops: a few steps only.
  bench(
    'cpu backend',
    async () => {
      await tf.setBackend('cpu');
      step(onCpu);
    },
    {time: 0, iterations: 3, warmupIterations: 1},
  );
});

/**
 * Times `run` on the wasm backend with Trellis' kernels and with the stock
 * ones (`stock` names the stock bench).
 */
function trellisVersusStock(title: string, run: () => void, stock: string): void {
  describe(title, () => {
    bench(
      'wasm, Trellis kernel',
      async () => {
        await tf.setBackend('wasm');
        await wasm().register();
        run();
      },
      {time: 2000, warmupIterations: 2},
    );
    bench(
      stock,
      async () => {
        await tf.setBackend('wasm');
        restoreStockKernels();
        run();
      },
      {time: 2000, warmupIterations: 2},
    );
  });
}

// MaxPoolGrad of the first pool: x [64, 26, 26, 32], 2×2. The stock kernel's
// result is wrong; it is timed only to show the replacement costs nothing.
const pooled = tf.randomNormal([64, 26, 26, 32]) as tf.Tensor4D;
const poolGrad = () =>
  tf.tidy(
    () =>
      void tf
        .grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid')))(pooled)
        .dataSync(),
  );

trellisVersusStock('maxPool forward + MaxPoolGrad, first pool', poolGrad, 'wasm, stock kernel (wrong results)');

// dx of the second conv: dy [64, 11, 11, 64], filter [3, 3, 32, 64], input [64, 13, 13, 32].
const dy = tf.randomNormal([64, 11, 11, 64]) as tf.Tensor4D;
const filter = tf.randomNormal([3, 3, 32, 64]) as tf.Tensor4D;
const backpropInput = () => tf.tidy(() => void tf.conv2dTranspose(dy, filter, [64, 13, 13, 32], 1, 'valid').dataSync());

trellisVersusStock('Conv2DBackpropInput, dx of the second conv', backpropInput, 'wasm, stock kernel');
