/**
 * `classWeightsFrom(labels)`: Keras-style `classWeight` for imbalanced labels.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, describe} from '@trellis/core';

/** A weight per class id, as `fit`'s `classWeight` takes it (Keras' `class_weight` dict). */
export type ClassWeights = Readonly<Record<number, number>>;

/**
 * "Balanced" class weights (scikit-learn's `compute_class_weight('balanced')`,
 * the usual companion of Keras' `class_weight`): class `c` gets
 * `n / (k · count(c))` for `n` labels and `k` classes present, so every class
 * contributes equally to the weighted loss and the weights average to 1 over
 * the samples.
 *
 * `labels`: integer class ids — an int32 (or integral float32) tensor of shape
 * `[n]` or `[n, 1]` (read back once; not disposed), or an array. Only classes
 * that occur get a weight.
 *
 * @throws DataError for empty labels, or ids that are negative, not integers
 *   or not finite (the message gives the first bad one and its index).
 * @throws ConfigError when `labels` is neither a tensor nor an array.
 *
 * @example
 * await model.fit(x, y, {classWeight: classWeightsFrom(y)});
 */
export function classWeightsFrom(labels: tf.Tensor | ArrayLike<number>): ClassWeights {
  let ids: ArrayLike<number>;
  if (labels instanceof tf.Tensor) {
    if (labels.rank > 2 || (labels.rank === 2 && labels.shape[1] !== 1)) {
      throw new DataError(
        `classWeightsFrom expects class ids of shape [n] or [n, 1]; got [${labels.shape.join(', ')}]. ` +
          'For one-hot labels pass tf.argMax(y, -1).',
      );
    }
    ids = labels.dataSync();
  } else if (labels !== null && typeof labels === 'object' && typeof (labels as ArrayLike<number>).length === 'number') {
    ids = labels;
  } else {
    throw new ConfigError(`classWeightsFrom expects a tensor or an array of class ids; got ${describe(labels)}.`);
  }
  if (ids.length === 0) throw new DataError('classWeightsFrom: no labels (an empty array); pass the training labels.');
  const counts = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (!Number.isInteger(id) || id < 0) {
      throw new DataError(`classWeightsFrom: labels must be class ids 0, 1, 2, ...; label ${i} is ${id}.`);
    }
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const classes = counts.size;
  return Object.fromEntries([...counts].sort((a, b) => a[0] - b[0]).map(([id, count]) => [id, ids.length / (classes * count)]));
}
