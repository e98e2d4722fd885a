/**
 * Telling a tensor from other values without `instanceof` (a tensor may come
 * from another copy of tfjs-core).
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';

/** `value` has a tensor's `shape`, `dtype` and `dataSync`. */
export function isTensor(value: unknown): value is tf.Tensor {
  return (
    typeof value === 'object' &&
    value !== null &&
    'shape' in value &&
    'dtype' in value &&
    typeof (value as tf.Tensor).dataSync === 'function'
  );
}
