/**
 * Keras' `activity_regularizer`: a penalty on a layer's output, internal.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {CallContext, Regularizer} from '@trellis/core';

/**
 * Adds `regularizer(output) / batch` to the loss through `context.addLoss`,
 * as Keras' `Layer.__call__` does for `activity_regularizer` (divided by the
 * output's leading dimension with `divide_no_nan`, so an empty batch adds 0;
 * a rank-0 output is not divided). Does nothing without a regularizer or when
 * the context offers no `addLoss` (`predict`).
 *
 * `output` (any shape, float32) is not disposed; the penalty is handed to the
 * context, which keeps and disposes it.
 */
export function addActivityPenalty(regularizer: Regularizer | null, output: tf.Tensor, context: CallContext): void {
  if (!regularizer || !context.addLoss) return;
  const penalty = tf.tidy(() => {
    const value = regularizer(output);
    if (output.rank === 0) return value;
    const batch = output.shape[0]!;
    return batch === 0 ? tf.zerosLike(value) : (tf.div(value, tf.scalar(batch, value.dtype)) as tf.Scalar);
  });
  context.addLoss(penalty);
}
