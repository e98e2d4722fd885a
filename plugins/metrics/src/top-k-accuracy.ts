import * as tf from '@tensorflow/tfjs-core';
import {ShapeError, checkNumber, checkOptions, describe, type Metric, optionKeys} from '@trellis/core';
import {checkName, meanMetric, type AccuracyState} from './accuracy-state';
import {checkSparseIds} from './metric-checks';

/** Options of {@link topKCategoricalAccuracy} and {@link sparseTopKCategoricalAccuracy}. */
export type TopKAccuracyConfig = {
  /** How many of the highest-scored classes count as a hit; a positive integer, default 5. */
  readonly k?: number;
  /** The log key; default `'top_k_categorical_accuracy'` (`'sparse_top_k_categorical_accuracy'` for the sparse variant). */
  readonly name?: string;
};

const KEYS = optionKeys<TopKAccuracyConfig>({k: true, name: true});

/**
 * Keras' `in_top_k` on `[n, classes]` scores and `[n]` float class ids: 1
 * where fewer than `k` classes score strictly higher than the target class
 * (so ties count in the target's favour), 0 otherwise. A NaN score at the
 * target, or an id outside `[0, classes)`, is never in the top k. Call inside
 * `tf.tidy`.
 */
function inTopK(ids: tf.Tensor1D, scores: tf.Tensor2D, k: number): tf.Tensor1D {
  const classes = scores.shape[1];
  const hot = tf.cast(tf.oneHot(tf.cast(ids, 'int32'), classes), 'bool');
  const minusInf = tf.fill(scores.shape, -Infinity);
  const atTarget = tf.where(hot, scores, minusInf);
  const target = tf.max(tf.where(tf.isNaN(atTarget), minusInf, atTarget), -1, true);
  const above = tf.sum(tf.cast(tf.greater(scores, target), 'float32'), -1);
  return tf.lessEqual(tf.add(above, 1), k) as tf.Tensor1D;
}

function checkK(who: string, config: TopKAccuracyConfig): number {
  return checkNumber(who, 'k', config.k ?? 5, {min: 1, integer: true, example: 5});
}

function checkClasses(name: string, k: number, yPred: tf.Tensor): void {
  const classes = yPred.shape[yPred.rank - 1]!;
  if (k > classes) {
    throw new ShapeError(
      `${name}: k = ${k} is larger than the number of classes (${classes}, the last dimension of yPred ${describe(yPred)}); ` +
        `every class would be in the top k. Use k ≤ ${classes}.`,
    );
  }
}

/**
 * The top-k accuracy metric `who` (registered as `trellis/<who>`): checks
 * `config`, then per update `checkTargets` and `k` against the classes, and
 * scores each sample by whether its class id (`classIds(yTrue)`, any shape
 * the reshape to `[n]` fits) is in the top `k` of `yPred`. `classIds` runs
 * inside the metric's `tf.tidy`.
 */
function topKMetric(
  who: string,
  defaultName: string,
  config: TopKAccuracyConfig,
  checkTargets: (name: string, yTrue: tf.Tensor, yPred: tf.Tensor) => void,
  classIds: (yTrue: tf.Tensor) => tf.Tensor,
): Metric<AccuracyState, Required<TopKAccuracyConfig>> {
  checkOptions(who, config, KEYS);
  const k = checkK(who, config);
  const name = checkName(who, config.name, defaultName);
  return meanMetric(
    {id: `trellis/${who}`, config: {k, name}},
    (yTrue, yPred) => {
      checkTargets(name, yTrue, yPred);
      checkClasses(name, k, yPred);
    },
    (yTrue, yPred) => {
      const classes = yPred.shape[yPred.rank - 1]!;
      const ids = tf.reshape(tf.cast(classIds(yTrue), 'float32'), [-1]) as tf.Tensor1D;
      const hits = inTopK(ids, tf.reshape(tf.cast(yPred, 'float32'), [-1, classes]), k);
      return tf.reshape(hits, yPred.shape.slice(0, -1));
    },
  );
}

/**
 * Top-k categorical accuracy: the fraction of samples whose one-hot target
 * class (`argMax(yTrue, -1)`) is among the `k` highest scores of `yPred`.
 * Ties count as hits (Keras 3's `in_top_k`: a class is in the top k when
 * fewer than `k` classes score strictly higher). Keras:
 * `keras.metrics.TopKCategoricalAccuracy`.
 *
 * Shapes: `yTrue` and `yPred` both `[batch, ..., classes]` (rank ≥ 2), any
 * dtypes; extra middle axes (sequences) are averaged per sample.
 * `sampleWeight`: `[batch]` or `[batch, 1]`.
 *
 * Tensors: `init`, `update`, `merge` and `result` return new tensors owned by
 * the caller and dispose nothing. State `{total, count}` (float32 scalars).
 *
 * @throws ConfigError for a `k` that is not a positive integer, an invalid `name` or an unknown option.
 * Updates throw a `ShapeError` for mismatched shapes or `k` larger than the number of classes.
 */
export function topKCategoricalAccuracy(config: TopKAccuracyConfig = {}): Metric<AccuracyState, Required<TopKAccuracyConfig>> {
  return topKMetric(
    'topKCategoricalAccuracy',
    'top_k_categorical_accuracy',
    config,
    (name, yTrue, yPred) => {
      const same = yTrue.rank === yPred.rank && yTrue.shape.every((d, i) => d === yPred.shape[i]);
      if (!same || yPred.rank < 2) {
        throw new ShapeError(
          `${name}: expected one-hot yTrue with the shape of yPred [batch, ..., classes]; got yTrue ${describe(yTrue)} ` +
            `and yPred ${describe(yPred)}. For integer class ids use sparseTopKCategoricalAccuracy().`,
        );
      }
    },
    (yTrue) => tf.argMax(yTrue, -1),
  );
}

/**
 * Sparse top-k categorical accuracy: the fraction of samples whose integer
 * class id (`yTrue`) is among the `k` highest scores of `yPred`. Ties count
 * as hits (Keras 3's `in_top_k`); an id outside `[0, classes)` is a miss.
 * Keras: `keras.metrics.SparseTopKCategoricalAccuracy` (scores, not
 * `from_sorted_ids`).
 *
 * Shapes: `yPred` `[batch, ..., classes]` (rank ≥ 2); `yTrue` the shape of
 * `yPred` without its last axis, or that shape with a trailing 1
 * (`[batch]` or `[batch, 1]`), int32 or float32. `sampleWeight`: `[batch]`
 * or `[batch, 1]`.
 *
 * Tensors: `init`, `update`, `merge` and `result` return new tensors owned by
 * the caller and dispose nothing. State `{total, count}` (float32 scalars).
 *
 * @throws ConfigError for a `k` that is not a positive integer, an invalid `name` or an unknown option.
 * Updates throw a `ShapeError` for mismatched shapes or `k` larger than the number of classes.
 */
export function sparseTopKCategoricalAccuracy(config: TopKAccuracyConfig = {}): Metric<AccuracyState, Required<TopKAccuracyConfig>> {
  return topKMetric(
    'sparseTopKCategoricalAccuracy',
    'sparse_top_k_categorical_accuracy',
    config,
    (name, yTrue, yPred) => checkSparseIds(name, yTrue, yPred, 'topKCategoricalAccuracy'),
    (yTrue) => yTrue,
  );
}
