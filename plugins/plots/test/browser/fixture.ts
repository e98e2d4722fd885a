// What the page and the worker of the browser test train: three classes of 2-D points, a small
// softmax classifier, on the cpu backend.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {Sequential, setSeed} from '@trellis/core';
import {dense, sparseCategoricalCrossentropy} from '@trellis/layers';
import {accuracy} from '@trellis/metrics';
import {adam} from '@trellis/optimizers';

export const CLASSES = ['left', 'middle', 'right'];
/** Fit settings: 96 training rows in batches of 8 (12 steps per epoch), 24 validation rows. */
export const EPOCHS = 4;
export const BATCH_SIZE = 8;

/** 120 points around three centres, class `i % 3`, deterministic. */
export function points(): {x: tf.Tensor2D; y: tf.Tensor1D} {
  const centres = [
    [-2, 0],
    [0, 1.5],
    [2, 0],
  ];
  const rows = Array.from({length: 120}, (_, i) => {
    const [cx, cy] = centres[i % 3]!;
    return [cx! + Math.sin(i * 2.1) * 0.9, cy! + Math.cos(i * 1.7) * 0.9];
  });
  return {
    x: tf.tensor2d(rows),
    y: tf.tensor1d(
      rows.map((_, i) => i % 3),
      'int32',
    ),
  };
}

export async function model(): Promise<Sequential> {
  await tf.setBackend('cpu');
  setSeed(7);
  const m = new Sequential([dense({units: 8, activation: 'relu', inputShape: [2]}), dense({units: 3, activation: 'softmax'})]);
  m.compile({optimizer: adam({learningRate: 0.05}), loss: sparseCategoricalCrossentropy(), metrics: [accuracy()]});
  return m;
}
