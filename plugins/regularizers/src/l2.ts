import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type Regularizer} from '@trellis/core';
import {checkRate} from './validate';

/**
 * Keras `L2`: `penalty = rate · Σw²` (Keras' default rate 0.01).
 *
 * There is no ½: the textbook weight decay `½λ·Σw²` is `l2(λ / 2)`, whose gradient is `λ·w`.
 *
 * @throws ConfigError when `rate` is negative or not finite.
 * @returns a regularizer taking a float32 weight of any shape and returning a new float32 scalar owned
 *   by the caller; the weight is not disposed.
 */
export function l2(rate = 0.01): Regularizer<{l2: number}> {
  const factor = checkRate('l2', 'rate', rate);
  return withSpec({id: 'trellis/l2', config: {l2: factor}}, (weight: tf.Tensor) =>
    tf.tidy(() => tf.mul(factor, tf.sum(tf.square(weight))) as tf.Scalar),
  );
}
