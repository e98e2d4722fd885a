// Times one training step of the MNIST MLP (784-512-128-10, relu, softmax,
// sparse categorical crossentropy, Adam, batch 128) on the native tensorflow
// backend, on wasm (with Trellis' kernels) and on cpu: Trellis'
// createTrainStep, the step `fit` runs. Not a test: speed is never asserted.
//
//   npx -y pnpm@10.34.9 install:native
//   cd plugins/backend-node && npx vitest bench --run scripts/mlp-step.bench.ts
//
// On a CUDA machine with @tensorflow/tfjs-node-gpu installed, the same command
// with TRELLIS_BENCH_GPU=1 times nodeBackend({gpu: true}) instead.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {wasm} from '@trellis/backend-wasm';
import {Sequential, createTrainStep, setSeed, useBackend, type BackendPlugin} from '@trellis/core';
import {dense, sparseCategoricalCrossentropy} from '@trellis/layers';
import {adam} from '@trellis/optimizers';
import {bench, describe} from 'vitest';
import {nodeBackend} from '../src/index';

const BATCH = 128;

function setupStep() {
  setSeed(1);
  const model = new Sequential([
    dense({units: 512, activation: 'relu', inputShape: [784]}),
    dense({units: 128, activation: 'relu'}),
    dense({units: 10, activation: 'softmax'}),
  ]);
  model.compile({optimizer: adam({learningRate: 1e-3}), loss: sparseCategoricalCrossentropy()});
  const x = tf.randomUniform([BATCH, 784], 0, 1, 'float32', 2);
  const y = tf.randomUniform([BATCH], 0, 10, 'int32', 3);
  const step = createTrainStep({model});
  return {
    /** One step, its loss read back (so the step really ran, on any backend). */
    run: () => {
      const loss = step(x, y);
      loss.dataSync();
      loss.dispose();
    },
    dispose: () => {
      model.dispose();
      tf.dispose([x, y]);
    },
  };
}

const backends: [string, () => BackendPlugin | string][] = [
  [
    process.env.TRELLIS_BENCH_GPU === '1' ? 'tensorflow (tfjs-node-gpu)' : 'tensorflow (tfjs-node)',
    () => nodeBackend({gpu: process.env.TRELLIS_BENCH_GPU === '1'}),
  ],
  ['wasm (Trellis kernels)', () => wasm()],
  ['cpu', () => 'cpu'],
];

describe(`MLP 784-512-128-10, Adam, batch ${BATCH}: one training step`, () => {
  for (const [name, plugin] of backends) {
    let current: ReturnType<typeof setupStep> | undefined;
    bench(name, () => current!.run(), {
      time: name === 'cpu' ? 8000 : 4000,
      warmupIterations: 3,
      setup: async () => {
        await useBackend(plugin());
        current = setupStep();
      },
      teardown: () => {
        current?.dispose();
        current = undefined;
      },
    });
  }
});
