/**
 * The training data of the fit tests: `n` samples of 3 features and class
 * ids 0, 1, 2 in turn.
 */
import * as tf from '@tensorflow/tfjs-core';

/** `x` `[n, 3]` float32 features and `y` `[n]` float32 class ids; the caller disposes both. */
export function threeClasses(n: number): {x: tf.Tensor2D; y: tf.Tensor1D} {
  const x = tf.tensor2d(Array.from({length: n}, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 5) / 5]));
  const y = tf.tensor1d(
    Array.from({length: n}, (_, i) => i % 3),
    'float32',
  );
  return {x, y};
}
