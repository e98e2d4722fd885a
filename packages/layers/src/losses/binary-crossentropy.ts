import {optionKeys} from '@trellis/core';
import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {EPSILON, makeLoss, perSample, readBoolean, readLabelSmoothing, readOptions, toFloat} from './common';

/** Options of {@link binaryCrossentropy}. */
export type BinaryCrossentropyOptions = {
  /** Whether predictions are logits rather than probabilities. Default false (Keras `from_logits=False`). */
  readonly fromLogits?: boolean;
  /**
   * Squeezes targets towards 0.5: `y·(1 - s) + 0.5·s`; in [0, 1]. Default 0
   * (Keras `label_smoothing=0.0`).
   */
  readonly labelSmoothing?: number;
};

/** The names of {@link BinaryCrossentropyOptions}: what {@link binaryCrossentropy} accepts. */
const BINARY_CROSSENTROPY_KEYS = optionKeys<BinaryCrossentropyOptions>({fromLogits: true, labelSmoothing: true});

/** Config in the spec of {@link binaryCrossentropy}. */
export type BinaryCrossentropyConfig = {readonly fromLogits: boolean; readonly labelSmoothing: number};

/**
 * Binary crossentropy (Keras `BinaryCrossentropy`), for one or more
 * independent yes/no outputs, averaged over the non-batch axes. Targets are
 * first smoothed, `y = yTrue·(1 - labelSmoothing) + 0.5·labelSmoothing`, then:
 *
 * - probabilities: `p = clip(yPred, 1e-7, 1 - 1e-7)`,
 *   `loss = -(y·log(p) + (1 - y)·log(1 - p))` (Keras 3 clips the same way;
 *   where `yPred` is clipped the gradient is 0).
 * - `fromLogits`: `max(x, 0) - x·y + log(1 + exp(-|x|))`, the overflow-free
 *   form of `-(y·log σ(x) + (1 - y)·log(1 - σ(x)))`; gradient `σ(x) - y`.
 *
 * Shapes: `yTrue` has the prediction's shape (`[batch]` for `[batch, 1]` is
 * aligned). Dtypes: `yTrue` float32, int32 or bool. Returns `[batch]` float32,
 * a new tensor owned by the caller; the inputs are not disposed.
 *
 * `targetKind` is `'binary'`; `validateTargets` requires targets in [0, 1].
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for a non-boolean `fromLogits` or `labelSmoothing` outside [0, 1].
 */
export function binaryCrossentropy(options: BinaryCrossentropyOptions = {}): Loss<BinaryCrossentropyConfig> {
  const name = 'binaryCrossentropy';
  const o = readOptions(name, options, BINARY_CROSSENTROPY_KEYS);
  const fromLogits = readBoolean(name, o, 'fromLogits', false);
  const labelSmoothing = readLabelSmoothing(name, o);
  return makeLoss({
    name,
    config: {fromLogits, labelSmoothing},
    targetKind: 'binary',
    fromLogits,
    compute: (yTrue, yPred) => {
      let t = tf.reshape(toFloat(yTrue), yPred.shape);
      if (labelSmoothing > 0) t = tf.add(tf.mul(t, 1 - labelSmoothing), 0.5 * labelSmoothing);
      if (fromLogits) {
        const x = yPred;
        return perSample(tf.add(tf.sub(tf.relu(x), tf.mul(x, t)), tf.log1p(tf.exp(tf.neg(tf.abs(x))))));
      }
      const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
      const logLikelihood = tf.add(tf.mul(t, tf.log(p)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p))));
      return perSample(tf.neg(logLikelihood));
    },
  });
}
