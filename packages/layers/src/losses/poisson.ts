import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {EPSILON} from './common';
import {pointwiseLoss} from './optionless-loss';

/** Config of {@link poisson}: none. */
export type PoissonConfig = Record<string, never>;

/**
 * Poisson loss (Keras `Poisson`, `"poisson"`), for count targets and positive
 * rate predictions: `loss_i = mean_j (yPred_ij - yTrue_ij·log(yPred_ij + 1e-7))`
 * over the non-batch axes (Keras 3's epsilon; predictions are not clipped, so
 * `yPred <= -1e-7` gives NaN, as in Keras).
 *
 * Shapes: `yTrue` has the prediction's shape; `[batch]` targets for
 * `[batch, 1]` predictions (or the reverse) are aligned. Dtypes: `yTrue`
 * float32, int32 or bool (cast to float32). Returns `[batch]` float32, a new
 * tensor owned by the caller; the inputs are not disposed.
 *
 * `targetKind` is `'regression'`; `validateTargets` rejects NaN and infinite targets.
 */
export function poisson(): Loss<PoissonConfig> {
  return pointwiseLoss('poisson', (t, yPred) => tf.sub(yPred, tf.mul(t, tf.log(tf.add(yPred, EPSILON)))));
}
