/**
 * The state methods the confusion-count metrics share: a state of a fixed
 * set of counts of one shape, folded batch by batch, merged by adding
 * (counts, precision and recall, and the *At* metrics).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  accumulate,
  addStates,
  checkState,
  zeroState,
  type ConfusionKey,
  type ConfusionOptions,
  type ConfusionState,
} from './confusion-counts';

/** `init`, `update`, `result` and `merge` of a metric over a state of confusion counts. */
export type CountingMethods<K extends ConfusionKey> = {
  init(): ConfusionState<K>;
  update(state: ConfusionState<K>, yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): ConfusionState<K>;
  result(state: ConfusionState<K>): tf.Tensor;
  merge(a: ConfusionState<K>, b: ConfusionState<K>): ConfusionState<K>;
};

/**
 * The state methods of the metric `name` whose state holds the counts
 * `keys`, float32 tensors of `shape`: `update` counts a batch with
 * `options`; `result` is `value` of the state (run inside `tf.tidy`). Every
 * method checks the states it is given (a `StateError` otherwise) and
 * returns new tensors owned by the caller.
 */
export function countingMethods<K extends ConfusionKey>(
  name: string,
  keys: readonly K[],
  shape: readonly number[],
  options: ConfusionOptions,
  value: (state: ConfusionState<K>) => tf.Tensor,
): CountingMethods<K> {
  return {
    init: () => zeroState(keys, shape),
    update(state, yTrue, yPred, sampleWeight) {
      checkState(name, state, keys, shape);
      return accumulate(name, options, keys, state, yTrue, yPred, sampleWeight);
    },
    result(state) {
      checkState(name, state, keys, shape);
      return tf.tidy(() => value(state));
    },
    merge(a, b) {
      checkState(name, a, keys, shape);
      checkState(name, b, keys, shape);
      return addStates(keys, a, b);
    },
  };
}
