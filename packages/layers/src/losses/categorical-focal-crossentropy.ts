import {optionKeys} from '@trellis/core';
import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {EPSILON, classesLast, makeLoss, perSample, readAxis, readOptions} from './common';
import {FOCAL_KEYS, readFocal, type FocalConfig, type FocalOptions} from './focal';

/** Options of {@link categoricalFocalCrossentropy}. */
export type CategoricalFocalCrossentropyOptions = FocalOptions & {
  /** A weight applied to every class; >= 0. Default 0.25 (Keras `alpha`). */
  readonly alpha?: number;
  /** Mixes targets with the uniform distribution: `y·(1 - s) + s/classes`; in [0, 1]. Default 0. */
  readonly labelSmoothing?: number;
  /** The class axis; not 0 (the batch axis). Default -1. */
  readonly axis?: number;
};

/** The names of {@link CategoricalFocalCrossentropyOptions}: what {@link categoricalFocalCrossentropy} accepts. */
const CATEGORICAL_FOCAL_CROSSENTROPY_KEYS = optionKeys<CategoricalFocalCrossentropyOptions>({
  ...FOCAL_KEYS,
  labelSmoothing: true,
  axis: true,
});

/** Config in the spec of {@link categoricalFocalCrossentropy}. */
export type CategoricalFocalCrossentropyConfig = FocalConfig & {readonly axis: number};

/**
 * Categorical focal crossentropy (Keras `CategoricalFocalCrossentropy`,
 * `"categorical_focal_crossentropy"`) for one-hot (or probability) targets.
 * In Keras 3's order, along the class axis:
 *
 * 1. `y = yTrue·(1 - labelSmoothing) + labelSmoothing / n`, where `n` is the
 *    size of the targets' last axis (Keras uses the last axis here even when
 *    `axis` is another one);
 * 2. `p = softmax(yPred)` if `fromLogits`, else `yPred`; `q = p / sum(p)`,
 *    then `q = clip(q, 1e-7, 1 - 1e-7)`;
 * 3. `loss = sum(alpha·(1 - q)^gamma · -y·log(q))`.
 *
 * Remaining non-batch axes are averaged.
 *
 * Shapes: `yTrue` and `yPred` alike, with the class axis at `axis`. Dtypes:
 * `yTrue` float32, int32 or bool. Returns `[batch]` float32, a new tensor
 * owned by the caller; the inputs are not disposed.
 *
 * `targetKind` is `'categorical'`; `validateTargets` requires targets in [0, 1].
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for a negative `alpha` or `gamma`, `labelSmoothing` outside [0, 1], or `axis` 0.
 * @throws ShapeError (on call) when `axis` is not a non-batch axis of the predictions.
 */
export function categoricalFocalCrossentropy(options: CategoricalFocalCrossentropyOptions = {}): Loss<CategoricalFocalCrossentropyConfig> {
  const name = 'categoricalFocalCrossentropy';
  const o = readOptions(name, options, CATEGORICAL_FOCAL_CROSSENTROPY_KEYS);
  const config: CategoricalFocalCrossentropyConfig = {
    ...readFocal(name, o, {min: 0}),
    axis: readAxis(name, o),
  };
  const {alpha, gamma, fromLogits, labelSmoothing, axis} = config;
  return makeLoss({
    name,
    config,
    targetKind: 'categorical',
    fromLogits,
    classAxis: axis,
    compute: (yTrue, yPred) => {
      const {y, x, last} = classesLast(yTrue, yPred, labelSmoothing, axis);
      const p = fromLogits ? tf.softmax(x, last) : x;
      const q = tf.clipByValue(tf.div(p, tf.sum(p, last, true)), EPSILON, 1 - EPSILON);
      const crossentropy = tf.neg(tf.mul(y, tf.log(q)));
      const weight = gamma === 0 ? tf.scalar(alpha) : tf.mul(tf.pow(tf.sub(1, q), gamma), alpha);
      return perSample(tf.sum(tf.mul(weight, crossentropy), last));
    },
  });
}
