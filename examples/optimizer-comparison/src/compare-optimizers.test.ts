import * as tf from '@tensorflow/tfjs-core';
import {expect, it} from 'vitest';
import {compareOptimizers} from './compare-optimizers';
import {contenders} from './contenders';
import {formatRanking, formatTable} from './report';

it('trains every optimizer from the same initial weights and each one lowers the training loss (1,000 images, 1 epoch)', async () => {
  const comparison = await compareOptimizers({samples: 1000, epochs: 1});
  const tensorsAfter = tf.memory().numTensors;
  console.log([...formatTable(comparison.results), formatRanking(comparison.results)].join('\n'));
  expect(comparison.backend).toBe('wasm');
  expect([comparison.trainSamples, comparison.validationSamples]).toEqual([900, 100]);
  expect(comparison.results.map((r) => r.name)).toEqual(contenders.map((c) => c.name));
  const initial = comparison.results[0]!.initialLoss;
  // Untrained softmax over 10 classes: about ln(10).
  expect(Math.abs(initial - Math.log(10))).toBeLessThan(0.5);
  for (const r of comparison.results) {
    expect(r.initialLoss).toBe(initial);
    expect(r.losses).toHaveLength(1);
    expect(r.losses[0]!).toBeLessThan(r.initialLoss);
    expect(r.valAccuracies[0]!).toBeGreaterThan(0.1);
  }
  // A second comparison frees everything it made.
  await compareOptimizers({samples: 200, epochs: 1});
  expect(tf.memory().numTensors).toBe(tensorsAfter);
});
