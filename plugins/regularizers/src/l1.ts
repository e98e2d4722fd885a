import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type Regularizer} from '@trellis/core';
import {checkRate} from './validate';

/**
 * Keras `L1`: `penalty = rate · Σ|w|` (Keras' default rate 0.01).
 *
 * @throws ConfigError when `rate` is negative or not finite.
 * @returns a regularizer taking a float32 weight of any shape and returning a new float32 scalar owned
 *   by the caller; the weight is not disposed.
 */
export function l1(rate = 0.01): Regularizer<{l1: number}> {
  const factor = checkRate('l1', 'rate', rate);
  return withSpec({id: 'trellis/l1', config: {l1: factor}}, (weight: tf.Tensor) =>
    tf.tidy(() => tf.mul(factor, tf.sum(tf.abs(weight))) as tf.Scalar),
  );
}
