import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {EPSILON, makeLoss, perSample, readFromLogits, toFloat} from './common';

/** Options of {@link categoricalCrossentropy}. */
export type CategoricalCrossentropyOptions = {
  /** Whether predictions are logits rather than probabilities. Default false (Keras `from_logits=False`). */
  readonly fromLogits?: boolean;
};

/** Config in the spec of {@link categoricalCrossentropy}. */
export type CategoricalCrossentropyConfig = {readonly fromLogits: boolean};

/**
 * Categorical crossentropy (Keras `CategoricalCrossentropy`) for one-hot (or
 * probability) targets over the last axis:
 *
 * - probabilities: `q = yPred / sum(yPred)` over the last axis, then
 *   `q = clip(q, 1e-7, 1 - 1e-7)`, `loss = -sum(y·log(q))` (Keras 3 order:
 *   normalize, then clip).
 * - `fromLogits`: `loss = -sum(y·logSoftmax(x))`, with a stable log-softmax;
 *   gradient `softmax(x)·sum(y) - y`.
 *
 * Shapes: `yTrue` and `yPred` `[batch, ..., classes]`; extra middle axes are
 * averaged. Dtypes: `yTrue` float32, int32 or bool. Returns `[batch]` float32,
 * a new tensor owned by the caller; the inputs are not disposed.
 *
 * `targetKind` is `'categorical'`; `validateTargets` requires targets in [0, 1].
 */
export function categoricalCrossentropy(
  options: CategoricalCrossentropyOptions = {},
): Loss<CategoricalCrossentropyConfig> {
  const fromLogits = readFromLogits('categoricalCrossentropy', options);
  return makeLoss({
    id: 'trellis/categoricalCrossentropy',
    name: 'categoricalCrossentropy',
    config: {fromLogits},
    targetKind: 'categorical',
    fromLogits,
    compute: (yTrue, yPred) => {
      const t = toFloat(yTrue);
      const axis = yPred.rank - 1;
      let logQ: tf.Tensor;
      if (fromLogits) {
        logQ = tf.logSoftmax(yPred, axis);
      } else {
        const q = tf.div(yPred, tf.sum(yPred, axis, true));
        logQ = tf.log(tf.clipByValue(q, EPSILON, 1 - EPSILON));
      }
      return perSample(tf.neg(tf.sum(tf.mul(t, logQ), axis)));
    },
  });
}
