import * as tf from '@tensorflow/tfjs-core';
import {checkOptions, type Metric, optionKeys} from '@trellis/core';
import {checkName, meanMetric, type AccuracyState} from './accuracy-state';
import {checkSparseIds} from './metric-checks';

/** Options of {@link sparseCategoricalAccuracy}. */
export type SparseCategoricalAccuracyConfig = {
  /** The log key; default `'sparse_categorical_accuracy'`. */
  readonly name?: string;
};

const KEYS = optionKeys<SparseCategoricalAccuracyConfig>({name: true});

/**
 * Sparse categorical accuracy: the fraction of samples whose predicted class
 * (`argMax(yPred, -1)`, ties pick the first index) equals the integer class id
 * in `yTrue`. Keras: `keras.metrics.SparseCategoricalAccuracy`.
 *
 * Shapes: `yPred` `[batch, ..., classes]` (rank ≥ 2); `yTrue` `[batch, ...]`
 * (the shape of `yPred` without its last axis) or that shape with a trailing
 * 1 (`[batch, 1]`). `yTrue` may be int32 or float32 (class ids are compared
 * as float32, exact below 2^24). `sampleWeight`: `[batch]`.
 *
 * Tensors: `init`, `update`, `merge` and `result` return new tensors owned by
 * the caller and dispose nothing (the caller disposes the old state).
 *
 * @throws ConfigError for an invalid `name` or an unknown option.
 */
export function sparseCategoricalAccuracy(
  config: SparseCategoricalAccuracyConfig = {},
): Metric<AccuracyState, Required<SparseCategoricalAccuracyConfig>> {
  checkOptions('sparseCategoricalAccuracy', config, KEYS);
  const name = checkName('sparseCategoricalAccuracy', config.name, 'sparse_categorical_accuracy');
  return meanMetric(
    {id: 'trellis/sparseCategoricalAccuracy', config: {name}},
    (yTrue, yPred) => {
      checkSparseIds(name, yTrue, yPred, 'categoricalAccuracy');
    },
    (yTrue, yPred) => {
      const ids = tf.reshape(tf.cast(yTrue, 'float32'), yPred.shape.slice(0, -1));
      return tf.equal(ids, tf.cast(tf.argMax(yPred, -1), 'float32'));
    },
  );
}
