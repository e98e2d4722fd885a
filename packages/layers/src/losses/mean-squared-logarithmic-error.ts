import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {EPSILON} from './common';
import {pointwiseLoss} from './optionless-loss';

/** Config of {@link meanSquaredLogarithmicError}: none. */
export type MeanSquaredLogarithmicErrorConfig = Record<string, never>;

/**
 * Mean squared logarithmic error (Keras `MeanSquaredLogarithmicError`,
 * `"msle"`), for non-negative regression targets:
 * `loss_i = mean_j (log(max(yPred_ij, 1e-7) + 1) - log(max(yTrue_ij, 1e-7) + 1))^2`
 * over the non-batch axes (Keras 3 floors both sides at 1e-7 the same way, so
 * negative predictions cost as much as 1e-7 and get a zero gradient).
 *
 * Shapes: `yTrue` has the prediction's shape; `[batch]` targets for
 * `[batch, 1]` predictions (or the reverse) are aligned, as in Keras. Dtypes:
 * `yTrue` float32, int32 or bool (cast to float32). Returns `[batch]` float32,
 * a new tensor owned by the caller; the inputs are not disposed.
 *
 * `targetKind` is `'regression'`; `validateTargets` rejects NaN and infinite targets.
 */
export function meanSquaredLogarithmicError(): Loss<MeanSquaredLogarithmicErrorConfig> {
  return pointwiseLoss('meanSquaredLogarithmicError', (t, yPred) => {
    const logPred = tf.log(tf.add(tf.maximum(yPred, EPSILON), 1));
    const logTrue = tf.log(tf.add(tf.maximum(t, EPSILON), 1));
    return tf.square(tf.sub(logPred, logTrue));
  });
}
