import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {pointwiseLoss} from './optionless-loss';

/** Config of {@link meanAbsoluteError}: none. */
export type MeanAbsoluteErrorConfig = Record<string, never>;

/**
 * Mean absolute error (Keras `MeanAbsoluteError`, `"mae"`), for regression:
 * `loss_i = mean_j |yTrue_ij - yPred_ij|` over the non-batch axes. The
 * gradient at an exact tie `yPred = yTrue` is ±1/n (tfjs' `abs`), where Keras
 * on JAX gives 0.
 *
 * Shapes: `yTrue` has the prediction's shape; `[batch]` targets for
 * `[batch, 1]` predictions (or the reverse) are aligned, as in Keras. Dtypes:
 * `yTrue` float32, int32 or bool (cast to float32). Returns `[batch]` float32,
 * a new tensor owned by the caller; the inputs are not disposed.
 *
 * `targetKind` is `'regression'`; `validateTargets` rejects NaN and infinite targets.
 */
export function meanAbsoluteError(): Loss<MeanAbsoluteErrorConfig> {
  return pointwiseLoss('meanAbsoluteError', (t, yPred) => tf.abs(tf.sub(t, yPred)));
}
