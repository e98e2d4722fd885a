import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {pointwiseLoss} from './optionless-loss';

/** Config of {@link meanSquaredError}: none. */
export type MeanSquaredErrorConfig = Record<string, never>;

/**
 * Mean squared error (Keras `MeanSquaredError`, `"mse"`), for regression:
 * `loss_i = mean_j (yTrue_ij - yPred_ij)^2` over the non-batch axes.
 *
 * Shapes: `yTrue` has the prediction's shape; `[batch]` targets for
 * `[batch, 1]` predictions (or the reverse) are aligned, as in Keras. Dtypes:
 * `yTrue` float32, int32 or bool (cast to float32). Returns `[batch]` float32,
 * a new tensor owned by the caller; the inputs are not disposed.
 *
 * `targetKind` is `'regression'`; `validateTargets` rejects NaN and infinite targets.
 */
export function meanSquaredError(): Loss<MeanSquaredErrorConfig> {
  return pointwiseLoss('meanSquaredError', (t, yPred) => tf.square(tf.sub(t, yPred)));
}
