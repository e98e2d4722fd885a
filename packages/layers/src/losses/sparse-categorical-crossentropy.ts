import * as tf from '@tensorflow/tfjs-core';
import type {Loss} from '@trellis/core';
import {EPSILON, makeLoss, perSample, readFromLogits} from './common';

/** Options of {@link sparseCategoricalCrossentropy}. */
export type SparseCategoricalCrossentropyOptions = {
  /** Whether predictions are logits rather than probabilities. Default false (Keras `from_logits=False`). */
  readonly fromLogits?: boolean;
};

/** Config in the spec of {@link sparseCategoricalCrossentropy}. */
export type SparseCategoricalCrossentropyConfig = {readonly fromLogits: boolean};

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
 * without the class axis, optionally with a trailing 1); `yPred`
 * `[batch, ..., classes]`. Dtypes: `yTrue` int32 or float32 holding integers
 * (cast to int32 by truncation, as Keras does). Out-of-range ids are not
 * checked here (they give a loss of 0 for that sample): `validateTargets`
 * checks them once before training. Returns `[batch]` float32, a new tensor
 * owned by the caller; the inputs are not disposed.
 *
 * `targetKind` is `'sparse'`.
 */
export function sparseCategoricalCrossentropy(
  options: SparseCategoricalCrossentropyOptions = {},
): Loss<SparseCategoricalCrossentropyConfig> {
  const fromLogits = readFromLogits('sparseCategoricalCrossentropy', options);
  return makeLoss({
    id: 'trellis/sparseCategoricalCrossentropy',
    name: 'sparseCategoricalCrossentropy',
    config: {fromLogits},
    targetKind: 'sparse',
    fromLogits,
    compute: (yTrue, yPred) => {
      const axis = yPred.rank - 1;
      const classes = yPred.shape[axis]!;
      const ids = tf.reshape(yTrue.dtype === 'int32' ? yTrue : tf.cast(yTrue, 'int32'), [-1]) as tf.Tensor1D;
      const oneHot = tf.reshape(tf.oneHot(ids, classes), yPred.shape);
      const logits = fromLogits ? yPred : tf.log(tf.clipByValue(yPred, EPSILON, 1 - EPSILON));
      return perSample(tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits, axis)), axis)));
    },
  });
}
