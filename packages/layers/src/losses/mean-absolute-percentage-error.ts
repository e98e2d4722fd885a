import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {EPSILON} from './common';
import {pointwiseLoss} from './optionless-loss';

/** Config of {@link meanAbsolutePercentageError}: none. */
export type MeanAbsolutePercentageErrorConfig = Record<string, never>;

/**
 * Mean absolute percentage error (Keras `MeanAbsolutePercentageError`,
 * `"mape"`), for regression:
 * `loss_i = 100 · mean_j |(yTrue_ij - yPred_ij) / max(|yTrue_ij|, 1e-7)|`
 * over the non-batch axes (Keras 3 guards the division the same way).
 *
 * Shapes: `yTrue` has the prediction's shape; `[batch]` targets for
 * `[batch, 1]` predictions (or the reverse) are aligned, as in Keras. Dtypes:
 * `yTrue` float32, int32 or bool (cast to float32). Returns `[batch]` float32,
 * a new tensor owned by the caller; the inputs are not disposed.
 *
 * `targetKind` is `'regression'`; `validateTargets` rejects NaN and infinite targets.
 */
export function meanAbsolutePercentageError(): Loss<MeanAbsolutePercentageErrorConfig> {
  return pointwiseLoss('meanAbsolutePercentageError', (t, yPred) =>
    tf.mul(100, tf.abs(tf.div(tf.sub(t, yPred), tf.maximum(tf.abs(t), EPSILON)))),
  );
}
