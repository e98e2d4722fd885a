import * as tf from '@tensorflow/tfjs-core';
import {expect, it} from 'vitest';
import {trainWithTfjsLayers} from './train-with-tfjs-layers';

it('tfjs-layers fit learns MNIST digits with a Trellis optimizer and schedule, leaving no tensor behind', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const lines: string[] = [];
  const result = await trainWithTfjsLayers({
    samples: 1000,
    epochs: 2,
    onEpoch: (epoch, logs, lr) => void lines.push(`${epoch}: ${JSON.stringify(logs)} lr ${lr}`),
  });
  console.log(lines.join('\n'));
  expect(lines).toHaveLength(2);
  expect(result.trainSamples).toBe(900);
  expect(result.validationSamples).toBe(100);
  expect(result.steps).toBe(2 * Math.ceil(900 / 64));
  expect(result.learningRates[0]).toBe(3e-3);
  expect(result.learningRates[1]).toBeCloseTo(3e-3 * 0.8 ** ((result.steps - 1) / 50), 12);
  const {loss, val_acc: valAccuracy} = result.history;
  expect(loss![1]!).toBeLessThan(loss![0]!);
  expect(valAccuracy![1]!).toBeGreaterThanOrEqual(0.75);
  expect(tf.memory().numTensors).toBe(before);
});
