import {optionKeys} from '@trellis/core';
import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {EPSILON, makeLoss, moveAxisLast, perSample, readAxis, readBoolean, readOptions} from './common';

/** Options of {@link sparseCategoricalCrossentropy}. */
export type SparseCategoricalCrossentropyOptions = {
  /** Whether predictions are logits rather than probabilities. Default false (Keras `from_logits=False`). */
  readonly fromLogits?: boolean;
  /** The class axis of the predictions; not 0 (the batch axis). Default -1 (Keras `axis=-1`). */
  readonly axis?: number;
};

/** The names of {@link SparseCategoricalCrossentropyOptions}: what {@link sparseCategoricalCrossentropy} accepts. */
const SPARSE_CATEGORICAL_CROSSENTROPY_KEYS = optionKeys<SparseCategoricalCrossentropyOptions>({fromLogits: true, axis: true});

/** Config in the spec of {@link sparseCategoricalCrossentropy}. */
export type SparseCategoricalCrossentropyConfig = {readonly fromLogits: boolean; readonly axis: number};

/**
 * Sparse categorical crossentropy (Keras `SparseCategoricalCrossentropy`):
 * categorical crossentropy with integer class ids as targets.
 *
 * - `fromLogits`: `loss = -logSoftmax(x)[y]`; gradient `softmax(x) - onehot(y)`.
 * - probabilities: `x = log(clip(yPred, 1e-7, 1 - 1e-7))`, then as above, i.e.
 *   `loss = -log(p_y) + log(sum_j p_j)` with clipped `p`. This is what Keras 3
 *   computes on its TensorFlow backend (clip, log, then a softmax
 *   crossentropy over the logs), so rows are renormalized after clipping.
 *
 * Shapes: `yTrue` `[batch]` or `[batch, 1]` (generally the prediction's shape
 * without the class axis, or with the class axis of size 1); `yPred`
 * `[batch, ..., classes]`, or with the classes at `axis`; other non-batch
 * axes are averaged. Dtypes: `yTrue` int32 or float32 holding integers
 * (cast to int32 by truncation, as Keras does). Out-of-range ids are not
 * checked here (they give a loss of 0 for that sample): `validateTargets`
 * checks them once before training. Returns `[batch]` float32, a new tensor
 * owned by the caller; the inputs are not disposed.
 *
 * `targetKind` is `'sparse'`.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for a non-boolean `fromLogits` or `axis` 0.
 * @throws ShapeError (on call) when `axis` is not a non-batch axis of the predictions.
 */
export function sparseCategoricalCrossentropy(
  options: SparseCategoricalCrossentropyOptions = {},
): Loss<SparseCategoricalCrossentropyConfig> {
  const name = 'sparseCategoricalCrossentropy';
  const o = readOptions(name, options, SPARSE_CATEGORICAL_CROSSENTROPY_KEYS);
  const fromLogits = readBoolean(name, o, 'fromLogits', false);
  const axis = readAxis(name, o);
  return makeLoss({
    name,
    config: {fromLogits, axis},
    targetKind: 'sparse',
    fromLogits,
    classAxis: axis,
    compute: (yTrue, yPred) => {
      const x = moveAxisLast(yPred, axis);
      const last = x.rank - 1;
      const classes = x.shape[last]!;
      const ids = tf.reshape(yTrue.dtype === 'int32' ? yTrue : tf.cast(yTrue, 'int32'), [-1]) as tf.Tensor1D;
      const oneHot = tf.reshape(tf.oneHot(ids, classes), x.shape);
      const logits = fromLogits ? x : tf.log(tf.clipByValue(x, EPSILON, 1 - EPSILON));
      return perSample(tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits, last)), last)));
    },
  });
}
