import * as tf from '@tensorflow/tfjs-core';
import {ShapeError, checkOptions, describe, type Metric, optionKeys} from '@trellis/core';
import {checkName, meanMetric, type AccuracyState} from './accuracy-state';

/** Options of {@link categoricalAccuracy}. */
export type CategoricalAccuracyConfig = {
  /** The log key; default `'categorical_accuracy'`. */
  readonly name?: string;
};

const KEYS = optionKeys<CategoricalAccuracyConfig>({name: true});

/**
 * Categorical accuracy: the fraction of samples whose predicted class
 * (`argMax(yPred, -1)`) is the class of the one-hot target
 * (`argMax(yTrue, -1)`). Ties pick the first index. Keras:
 * `keras.metrics.CategoricalAccuracy`.
 *
 * Shapes: `yTrue` and `yPred` both `[batch, ..., classes]` (rank ≥ 2), any
 * dtypes. `sampleWeight`: `[batch]`. Extra middle axes (sequences) are
 * averaged per sample.
 *
 * Tensors: `init`, `update`, `merge` and `result` return new tensors owned by
 * the caller and dispose nothing (the caller disposes the old state).
 *
 * @throws ConfigError for an invalid `name` or an unknown option.
 */
export function categoricalAccuracy(config: CategoricalAccuracyConfig = {}): Metric<AccuracyState, Required<CategoricalAccuracyConfig>> {
  checkOptions('categoricalAccuracy', config, KEYS);
  const name = checkName('categoricalAccuracy', config.name, 'categorical_accuracy');
  return meanMetric(
    {id: 'trellis/categoricalAccuracy', config: {name}},
    (yTrue, yPred) => {
      const same = yTrue.rank === yPred.rank && yTrue.shape.every((d, i) => d === yPred.shape[i]);
      if (!same || yPred.rank < 2) {
        throw new ShapeError(
          `${name}: expected one-hot yTrue with the shape of yPred [batch, ..., classes]; got yTrue ` +
            `${describe(yTrue)} and yPred ${describe(yPred)}. For integer class ids use sparseCategoricalAccuracy().`,
        );
      }
    },
    (yTrue, yPred) => tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1)),
  );
}
