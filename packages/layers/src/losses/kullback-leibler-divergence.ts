import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {EPSILON, perSample, toFloat} from './common';
import {optionlessLoss} from './optionless-loss';

/** Config of {@link kullbackLeiblerDivergence}: none. */
export type KullbackLeiblerDivergenceConfig = Record<string, never>;

/**
 * Kullback-Leibler divergence (Keras `KLDivergence`, `"kl_divergence"`) of
 * the predicted distribution from the target distribution over the last
 * axis: with `y = clip(yTrue, 1e-7, 1)` and `p = clip(yPred, 1e-7, 1)`,
 * `loss = sum(y·log(y / p))` (Keras 3 clips the same way and does not
 * renormalize; where `yPred` is clipped the gradient is 0). Extra middle axes
 * are averaged.
 *
 * Shapes: `yTrue` and `yPred` `[batch, ..., classes]`. Dtypes: `yTrue`
 * float32, int32 or bool (cast to float32). Returns `[batch]` float32, a new
 * tensor owned by the caller; the inputs are not disposed.
 *
 * `targetKind` is `'categorical'`; `validateTargets` requires targets in [0, 1].
 */
export function kullbackLeiblerDivergence(): Loss<KullbackLeiblerDivergenceConfig> {
  return optionlessLoss('kullbackLeiblerDivergence', 'categorical', (yTrue, yPred) => {
    const t = tf.clipByValue(toFloat(yTrue), EPSILON, 1);
    const p = tf.clipByValue(yPred, EPSILON, 1);
    return perSample(tf.sum(tf.mul(t, tf.log(tf.div(t, p))), yPred.rank - 1));
  });
}
