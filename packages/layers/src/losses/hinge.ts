import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {pointwiseLoss} from './optionless-loss';

/** Config of {@link hinge}: none. */
export type HingeConfig = Record<string, never>;

/**
 * Hinge loss (Keras `Hinge`, `"hinge"`), for binary classifiers that output a
 * score: `loss_i = mean_j max(1 - y_ij·yPred_ij, 0)` over the non-batch axes,
 * with targets `y` in {-1, 1}. As in Keras 3, when every target of the batch
 * is 0 or 1 they are first mapped to -1/1 (`2·y - 1`); a batch holding any
 * other value is used as it is.
 *
 * Shapes: `yTrue` has the prediction's shape; `[batch]` targets for
 * `[batch, 1]` predictions (or the reverse) are aligned. Dtypes: `yTrue`
 * float32, int32 or bool (cast to float32). Returns `[batch]` float32, a new
 * tensor owned by the caller; the inputs are not disposed.
 *
 * `targetKind` is `'regression'` (targets may be -1/1 or 0/1);
 * `validateTargets` rejects NaN and infinite targets.
 */
export function hinge(): Loss<HingeConfig> {
  return pointwiseLoss('hinge', (t, yPred) => tf.relu(tf.sub(1, tf.mul(hingeLabels(t), yPred))));
}

/**
 * Keras 3's `convert_binary_labels_to_hinge`: `2·y - 1` when every element of
 * `y` is 0 or 1, else `y` unchanged; decided on the device (no readback).
 * Returns a new float32 tensor of `y`'s shape (call inside a tidy).
 */
export function hingeLabels(y: tf.Tensor): tf.Tensor {
  const isBinary = tf.cast(tf.all(tf.logicalOr(tf.equal(y, 0), tf.equal(y, 1))), 'float32');
  return tf.sub(tf.mul(y, tf.add(isBinary, 1)), isBinary);
}
