import * as tf from '@tensorflow/tfjs-core';
import {Sequential, callbacks, createTrellis, dense, loadMnist, setSeed, sgd, sparseCategoricalCrossentropy} from 'trellis';
import {expect, it} from 'vitest';
import {setups} from './experiment';

it('gradientMonitor flags vanishing gradients in the sigmoid + Glorot network and stays quiet on relu + He', async () => {
  await createTrellis({backend: 'cpu'});
  const {train} = await loadMnist({split: 'train', samples: 1280});
  const warnings: Record<string, string[]> = {};
  try {
    for (const setup of setups) {
      setSeed(1);
      const hidden = Array.from({length: 5}, (_, i) =>
        dense({
          units: 128,
          activation: setup.activation,
          kernelInitializer: setup.kernelInitializer(),
          ...(i === 0 ? {inputShape: [784]} : {}),
        }),
      );
      const model = new Sequential([...hidden, dense({units: 10, activation: 'softmax', kernelInitializer: setup.kernelInitializer()})]);
      model.compile({optimizer: sgd({learningRate: 0.1}), loss: sparseCategoricalCrossentropy()});
      const monitor = callbacks.gradientMonitor({every: 5, print: () => {}});
      await model.fit(train.x, train.y, {epochs: 1, batchSize: 64, callbacks: [monitor]});
      warnings[setup.name] = [...monitor.warnings];
      model.dispose();
    }
  } finally {
    tf.dispose([train.x, train.y]);
  }
  console.log(warnings);
  expect(warnings['sigmoid, glorotUniform']!.some((w) => /vanishing gradients: the first layer 'dense'/.test(w))).toBe(true);
  expect(warnings['relu, heNormal']).toEqual([]);
});
