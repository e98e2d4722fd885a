import * as tf from '@tensorflow/tfjs-core';
import {callbacks, createTrellis, loadMnist, setSeed, sgd, sparseCategoricalCrossentropy} from 'trellis';
import {expect, it} from 'vitest';
import {deepMlp, setups} from './experiment';

it('gradientMonitor flags vanishing gradients in the sigmoid + Glorot network and stays quiet on relu + He', async () => {
  await createTrellis({backend: 'cpu'});
  const {train} = await loadMnist({split: 'train', samples: 1280});
  const warnings: Record<string, string[]> = {};
  try {
    for (const setup of setups) {
      setSeed(1);
      const model = deepMlp(setup, 5);
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
