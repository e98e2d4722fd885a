import {optionKeys} from '@trellis/core';
import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {EPSILON, classesLast, makeLoss, perSample, readAxis, readBoolean, readLabelSmoothing, readOptions} from './common';

/** Options of {@link categoricalCrossentropy}. */
export type CategoricalCrossentropyOptions = {
  /** Whether predictions are logits rather than probabilities. Default false (Keras `from_logits=False`). */
  readonly fromLogits?: boolean;
  /**
   * Mixes targets with the uniform distribution: `y·(1 - s) + s/n`; in
   * [0, 1]. Default 0 (Keras `label_smoothing=0.0`).
   */
  readonly labelSmoothing?: number;
  /** The class axis; not 0 (the batch axis). Default -1 (Keras `axis=-1`). */
  readonly axis?: number;
};

/** The names of {@link CategoricalCrossentropyOptions}: what {@link categoricalCrossentropy} accepts. */
const CATEGORICAL_CROSSENTROPY_KEYS = optionKeys<CategoricalCrossentropyOptions>({fromLogits: true, labelSmoothing: true, axis: true});

/** Config in the spec of {@link categoricalCrossentropy}. */
export type CategoricalCrossentropyConfig = {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
};

/**
 * Categorical crossentropy (Keras `CategoricalCrossentropy`) for one-hot (or
 * probability) targets over the class axis `axis`. Targets are first
 * smoothed, `y = yTrue·(1 - labelSmoothing) + labelSmoothing / n`, where `n`
 * is the size of the targets' last axis (Keras 3 uses the last axis here even
 * when `axis` is another one), then:
 *
 * - probabilities: `q = yPred / sum(yPred)` along `axis`, then
 *   `q = clip(q, 1e-7, 1 - 1e-7)`, `loss = -sum(y·log(q))` (Keras 3 order:
 *   normalize, then clip).
 * - `fromLogits`: `loss = -sum(y·logSoftmax(x))`, with a stable log-softmax;
 *   gradient `softmax(x)·sum(y) - y`.
 *
 * Shapes: `yTrue` and `yPred` alike, `[batch, ..., classes]` by default;
 * other non-batch axes are averaged. Dtypes: `yTrue` float32, int32 or bool.
 * Returns `[batch]` float32, a new tensor owned by the caller; the inputs are
 * not disposed.
 *
 * `targetKind` is `'categorical'`; `validateTargets` requires targets in [0, 1].
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for a non-boolean `fromLogits`, `labelSmoothing` outside [0, 1], or `axis` 0.
 * @throws ShapeError (on call) when `axis` is not a non-batch axis of the predictions.
 */
export function categoricalCrossentropy(options: CategoricalCrossentropyOptions = {}): Loss<CategoricalCrossentropyConfig> {
  const name = 'categoricalCrossentropy';
  const o = readOptions(name, options, CATEGORICAL_CROSSENTROPY_KEYS);
  const fromLogits = readBoolean(name, o, 'fromLogits', false);
  const labelSmoothing = readLabelSmoothing(name, o);
  const axis = readAxis(name, o);
  return makeLoss({
    name,
    config: {fromLogits, labelSmoothing, axis},
    targetKind: 'categorical',
    fromLogits,
    classAxis: axis,
    compute: (yTrue, yPred) => {
      const {y: t, x, last} = classesLast(yTrue, yPred, labelSmoothing, axis);
      let logQ: tf.Tensor;
      if (fromLogits) {
        logQ = tf.logSoftmax(x, last);
      } else {
        const q = tf.div(x, tf.sum(x, last, true));
        logQ = tf.log(tf.clipByValue(q, EPSILON, 1 - EPSILON));
      }
      return perSample(tf.neg(tf.sum(tf.mul(t, logQ), last)));
    },
  });
}
