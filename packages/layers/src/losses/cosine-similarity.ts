import * as tf from '@tensorflow/tfjs-core';
import {ShapeError, type Loss, optionKeys} from '@trellis/core';
import {EPSILON, classAxisProblem, makeLoss, perSample, readAxis, readOptions, toFloat} from './common';
import {formatShape} from '../layers/common';

/** Options of {@link cosineSimilarity}. */
export type CosineSimilarityOptions = {
  /** The axis along which the similarity is computed; not 0 (the batch axis). Default -1 (Keras `axis=-1`). */
  readonly axis?: number;
};

/** The names of {@link CosineSimilarityOptions}: what {@link cosineSimilarity} accepts. */
const COSINE_SIMILARITY_KEYS = optionKeys<CosineSimilarityOptions>({axis: true});

/** Config in the spec of {@link cosineSimilarity}. */
export type CosineSimilarityConfig = {readonly axis: number};

/**
 * Cosine similarity loss (Keras `CosineSimilarity`, `"cosine_similarity"`):
 * the negated cosine between target and prediction along `axis`,
 * `loss = -sum(l2normalize(yTrue)·l2normalize(yPred))`, in [-1, 1] (-1 is
 * best). As in Keras 3, `l2normalize(x) = x·min(1/sqrt(sum(x²)), 1e7)`, so an
 * all-zero vector gives 0. Remaining non-batch axes are averaged.
 *
 * Shapes: `yTrue` has the prediction's shape; `[batch]` targets for
 * `[batch, 1]` predictions (or the reverse) are aligned (both become
 * `[batch, 1]`). Dtypes: `yTrue` float32, int32 or bool (cast to float32).
 * Returns `[batch]` float32, a new tensor owned by the caller; the inputs are
 * not disposed.
 *
 * `targetKind` is `'regression'`; `validateTargets` rejects NaN and infinite targets.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError when `axis` is not a non-zero integer.
 * @throws ShapeError (on call) when `axis` is not a non-batch axis of the predictions.
 */
export function cosineSimilarity(options: CosineSimilarityOptions = {}): Loss<CosineSimilarityConfig> {
  const axis = readAxis('cosineSimilarity', readOptions('cosineSimilarity', options, COSINE_SIMILARITY_KEYS));
  return makeLoss({
    name: 'cosineSimilarity',
    config: {axis},
    targetKind: 'regression',
    fromLogits: false,
    compute: (yTrue, yPred) => {
      const p = yPred.rank === 1 ? tf.reshape(yPred, [-1, 1]) : yPred;
      const problem = classAxisProblem(axis, p.rank);
      if (problem) {
        throw new ShapeError(`cosineSimilarity: ${problem} for predictions of shape ${formatShape(yPred.shape)}.`);
      }
      const t = tf.reshape(toFloat(yTrue), p.shape);
      return perSample(tf.neg(tf.sum(tf.mul(l2Normalize(t, axis), l2Normalize(p, axis)), axis)));
    },
  });
}

/** Keras 3's `normalize(x, axis)` for order 2: `x·min(rsqrt(sum(x², axis)), 1/1e-7)`. */
function l2Normalize(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.mul(x, tf.minimum(tf.rsqrt(tf.sum(tf.square(x), axis, true)), 1 / EPSILON));
}
