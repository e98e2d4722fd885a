import {optionKeys} from '@trellis/core';
import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {EPSILON, makeLoss, perSample, readBoolean, readOptions, toFloat} from './common';
import {FOCAL_KEYS, readFocal, type FocalConfig, type FocalOptions} from './focal';

/** Options of {@link binaryFocalCrossentropy}. */
export type BinaryFocalCrossentropyOptions = FocalOptions & {
  /** Whether to weight positives by `alpha` and negatives by `1 - alpha`. Default false (Keras `apply_class_balancing`). */
  readonly applyClassBalancing?: boolean;
  /** The weight of the positive class when `applyClassBalancing`; in [0, 1]. Default 0.25. */
  readonly alpha?: number;
  /** Squeezes targets towards 0.5: `y·(1 - s) + 0.5·s`; in [0, 1]. Default 0. */
  readonly labelSmoothing?: number;
};

/** The names of {@link BinaryFocalCrossentropyOptions}: what {@link binaryFocalCrossentropy} accepts. */
const BINARY_FOCAL_CROSSENTROPY_KEYS = optionKeys<BinaryFocalCrossentropyOptions>({
  ...FOCAL_KEYS,
  applyClassBalancing: true,
  labelSmoothing: true,
});

/** Config in the spec of {@link binaryFocalCrossentropy}. */
export type BinaryFocalCrossentropyConfig = FocalConfig & {readonly applyClassBalancing: boolean};

/**
 * Binary focal crossentropy (Keras `BinaryFocalCrossentropy`,
 * `"binary_focal_crossentropy"`): binary crossentropy down-weighted on easy
 * examples, averaged over the non-batch axes. In Keras 3's order:
 *
 * 1. `y = yTrue·(1 - labelSmoothing) + 0.5·labelSmoothing`;
 * 2. `p = sigmoid(yPred)` if `fromLogits`, else `yPred`;
 * 3. `bce = -(y·log(c) + (1 - y)·log(1 - c))` with `c = clip(p, 1e-7, 1 - 1e-7)`;
 * 4. `pT = y·p + (1 - y)·(1 - p)` (unclipped), `loss = (1 - pT)^gamma · bce`;
 * 5. with `applyClassBalancing`, times `y·alpha + (1 - y)·(1 - alpha)`.
 *
 * Shapes: `yTrue` has the prediction's shape (`[batch]` for `[batch, 1]` is
 * aligned). Dtypes: `yTrue` float32, int32 or bool. Returns `[batch]`
 * float32, a new tensor owned by the caller; the inputs are not disposed.
 *
 * `targetKind` is `'binary'`; `validateTargets` requires targets in [0, 1].
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for `alpha` or `labelSmoothing` outside [0, 1], a negative `gamma`, or a non-boolean flag.
 */
export function binaryFocalCrossentropy(options: BinaryFocalCrossentropyOptions = {}): Loss<BinaryFocalCrossentropyConfig> {
  const name = 'binaryFocalCrossentropy';
  const o = readOptions(name, options, BINARY_FOCAL_CROSSENTROPY_KEYS);
  const config: BinaryFocalCrossentropyConfig = {
    applyClassBalancing: readBoolean(name, o, 'applyClassBalancing', false),
    ...readFocal(name, o, {min: 0, max: 1}),
  };
  const {applyClassBalancing, alpha, gamma, fromLogits, labelSmoothing} = config;
  return makeLoss({
    name,
    config,
    targetKind: 'binary',
    fromLogits,
    compute: (yTrue, yPred) => {
      let y = tf.reshape(toFloat(yTrue), yPred.shape);
      if (labelSmoothing > 0) y = tf.add(tf.mul(y, 1 - labelSmoothing), 0.5 * labelSmoothing);
      const p = fromLogits ? tf.sigmoid(yPred) : yPred;
      const c = tf.clipByValue(p, EPSILON, 1 - EPSILON);
      const notY = tf.sub(1, y);
      const bce = tf.neg(tf.add(tf.mul(y, tf.log(c)), tf.mul(notY, tf.log(tf.sub(1, c)))));
      const pT = tf.add(tf.mul(y, p), tf.mul(notY, tf.sub(1, p)));
      // gamma = 0 leaves plain crossentropy; skipping pow keeps the gradient finite where pT = 1.
      let loss = gamma === 0 ? bce : tf.mul(tf.pow(tf.sub(1, pT), gamma), bce);
      if (applyClassBalancing) loss = tf.mul(tf.add(tf.mul(y, alpha), tf.mul(notY, 1 - alpha)), loss);
      return perSample(loss);
    },
  });
}
