import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {pointwiseLoss} from './optionless-loss';

/** Config of {@link logCosh}: none. */
export type LogCoshConfig = Record<string, never>;

/**
 * Log-cosh loss (Keras `LogCosh`, `"log_cosh"`), for regression: with
 * `e = yPred - yTrue`, each element costs `log(cosh(e))`, computed without
 * overflow as `e + softplus(-2e) - log(2)` (Keras 3's form); `loss_i` is the
 * mean over the non-batch axes. Gradient `tanh(e)`.
 *
 * Shapes: `yTrue` has the prediction's shape; `[batch]` targets for
 * `[batch, 1]` predictions (or the reverse) are aligned, as in Keras. Dtypes:
 * `yTrue` float32, int32 or bool (cast to float32). Returns `[batch]` float32,
 * a new tensor owned by the caller; the inputs are not disposed.
 *
 * `targetKind` is `'regression'`; `validateTargets` rejects NaN and infinite targets.
 */
export function logCosh(): Loss<LogCoshConfig> {
  return pointwiseLoss('logCosh', (t, yPred) => {
    const e = tf.sub(yPred, t);
    return tf.sub(tf.add(e, tf.softplus(tf.mul(e, -2))), Math.LN2);
  });
}
