import {optionKeys} from '@trellis/core';
import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {makeLoss, perSample, readNumber, readOptions, toFloat} from './common';

/** Options of {@link huber}. */
export type HuberOptions = {
  /** Where the loss turns from quadratic to linear; > 0. Default 1 (Keras `delta=1.0`). */
  readonly delta?: number;
};

/** The names of {@link HuberOptions}: what {@link huber} accepts. */
const HUBER_KEYS = optionKeys<HuberOptions>({delta: true});

/** Config in the spec of {@link huber}. */
export type HuberConfig = {readonly delta: number};

/**
 * Huber loss (Keras `Huber`, `"huber"`), for regression robust to outliers:
 * with `e = yPred - yTrue`, each element costs `0.5·e²` where `|e| <= delta`
 * and `delta·|e| - 0.5·delta²` elsewhere; `loss_i` is their mean over the
 * non-batch axes.
 *
 * Shapes: `yTrue` has the prediction's shape; `[batch]` targets for
 * `[batch, 1]` predictions (or the reverse) are aligned, as in Keras. Dtypes:
 * `yTrue` float32, int32 or bool (cast to float32). Returns `[batch]` float32,
 * a new tensor owned by the caller; the inputs are not disposed.
 *
 * `targetKind` is `'regression'`; `validateTargets` rejects NaN and infinite targets.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError when `delta` is not a finite number > 0.
 */
export function huber(options: HuberOptions = {}): Loss<HuberConfig> {
  const delta = readNumber('huber', readOptions('huber', options, HUBER_KEYS), 'delta', 1, {above: 0});
  return makeLoss({
    name: 'huber',
    config: {delta},
    targetKind: 'regression',
    fromLogits: false,
    compute: (yTrue, yPred) => {
      const t = tf.reshape(toFloat(yTrue), yPred.shape);
      // With m = min(|e|, delta): 0.5·m² + delta·(|e| - m) is 0.5·e² inside and delta·|e| - 0.5·delta² outside.
      const absError = tf.abs(tf.sub(yPred, t));
      const inner = tf.minimum(absError, delta);
      return perSample(tf.add(tf.mul(0.5, tf.square(inner)), tf.mul(delta, tf.sub(absError, inner))));
    },
  });
}
