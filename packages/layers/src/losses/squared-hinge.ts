import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {pointwiseLoss} from './optionless-loss';
import {hingeLabels} from './hinge';

/** Config of {@link squaredHinge}: none. */
export type SquaredHingeConfig = Record<string, never>;

/**
 * Squared hinge loss (Keras `SquaredHinge`, `"squared_hinge"`):
 * `loss_i = mean_j max(1 - y_ij·yPred_ij, 0)^2` over the non-batch axes, with
 * targets `y` in {-1, 1}; as in Keras 3, when every target of the batch is 0
 * or 1 they are first mapped to -1/1 (see {@link hinge}).
 *
 * Shapes: `yTrue` has the prediction's shape; `[batch]` targets for
 * `[batch, 1]` predictions (or the reverse) are aligned. Dtypes: `yTrue`
 * float32, int32 or bool (cast to float32). Returns `[batch]` float32, a new
 * tensor owned by the caller; the inputs are not disposed.
 *
 * `targetKind` is `'regression'` (targets may be -1/1 or 0/1);
 * `validateTargets` rejects NaN and infinite targets.
 */
export function squaredHinge(): Loss<SquaredHingeConfig> {
  return pointwiseLoss('squaredHinge', (t, yPred) => tf.square(tf.relu(tf.sub(1, tf.mul(hingeLabels(t), yPred)))));
}
