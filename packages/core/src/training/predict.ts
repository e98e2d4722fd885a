/**
 * Inference in batches.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {LoopModel} from './loop-model';
import {inferenceContext} from './inference-context';
import {listOf, mapTensors, rowCount, sliceRows, type Tensors} from './tensors';

/**
 * Runs `model` in inference mode over float32 `x` (one tensor per input) in
 * batches of `batchSize` and concatenates the outputs: a new tensor (one per
 * output for a model with several) owned by the caller; `x` is not disposed.
 */
export function predictInBatches(model: LoopModel, x: Tensors, batchSize: number): Tensors {
  const n = rowCount(x);
  const context = inferenceContext();
  if (n <= batchSize) return tf.tidy(() => model.call(x, context) as tf.TensorContainer) as Tensors;
  const parts: Tensors[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      parts.push(
        tf.tidy(
          () =>
            model.call(
              mapTensors(x, (t) => sliceRows(t, start, size)),
              context,
            ) as tf.TensorContainer,
        ) as Tensors,
      );
    }
    const first = parts[0]!;
    return mapTensors(first, (_, i) =>
      tf.concat(
        parts.map((p) => listOf(p)[i]!),
        0,
      ),
    );
  } finally {
    tf.dispose(parts as tf.TensorContainer);
  }
}
