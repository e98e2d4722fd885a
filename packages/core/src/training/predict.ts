/**
 * Inference in batches.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Model} from '../model/model';
import {sliceRows} from './batches';
import {inferenceContext} from './inference-context';

/**
 * Runs `model` in inference mode over float32 `x` in batches of `batchSize`
 * and concatenates the outputs: a new tensor owned by the caller; `x` is not
 * disposed.
 */
export function predictInBatches(model: Model, x: tf.Tensor, batchSize: number): tf.Tensor {
  const n = x.shape[0]!;
  const context = inferenceContext();
  if (n <= batchSize) return tf.tidy(() => model.call(x, context));
  const parts: tf.Tensor[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      parts.push(tf.tidy(() => model.call(sliceRows(x, start, size), context)));
    }
    return tf.concat(parts, 0);
  } finally {
    tf.dispose(parts);
  }
}
