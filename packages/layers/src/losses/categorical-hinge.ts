import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {perSample, toFloat} from './common';
import {optionlessLoss} from './optionless-loss';

/** Config of {@link categoricalHinge}: none. */
export type CategoricalHingeConfig = Record<string, never>;

/**
 * Categorical hinge loss (Keras `CategoricalHinge`, `"categorical_hinge"`),
 * for one-hot targets and class scores over the last axis:
 * `pos = sum(y·yPred)`, `neg = max((1 - y)·yPred)`,
 * `loss = max(neg - pos + 1, 0)`; extra middle axes are averaged.
 *
 * Shapes: `yTrue` and `yPred` `[batch, ..., classes]`. Dtypes: `yTrue`
 * float32, int32 or bool (cast to float32). Returns `[batch]` float32, a new
 * tensor owned by the caller; the inputs are not disposed.
 *
 * `targetKind` is `'categorical'`; `validateTargets` requires targets in [0, 1].
 */
export function categoricalHinge(): Loss<CategoricalHingeConfig> {
  return optionlessLoss('categoricalHinge', 'categorical', (yTrue, yPred) => {
    const t = toFloat(yTrue);
    const axis = yPred.rank - 1;
    const pos = tf.sum(tf.mul(t, yPred), axis);
    const neg = tf.max(tf.mul(tf.sub(1, t), yPred), axis);
    return perSample(tf.relu(tf.add(tf.sub(neg, pos), 1)));
  });
}
