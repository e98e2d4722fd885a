import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type Regularizer} from '@trellis/core';
import {checkRate} from './validate';

/** Config of {@link l1l2}. */
export type L1L2Config = {
  /** L1 factor (default 0). */
  readonly l1?: number;
  /** L2 factor (default 0). */
  readonly l2?: number;
};

/**
 * Keras `L1L2`: `penalty = l1 · Σ|w| + l2 · Σw²`. Like Keras' `L2`, the L2 term has no ½.
 *
 * @throws ConfigError when `l1` or `l2` is negative or not finite.
 * @returns a regularizer taking a float32 weight of any shape and returning a new float32 scalar owned
 *   by the caller; the weight is not disposed.
 */
export function l1l2(config: L1L2Config = {}): Regularizer<{l1: number; l2: number}> {
  const l1 = checkRate('l1l2', 'l1', config.l1 ?? 0);
  const l2 = checkRate('l1l2', 'l2', config.l2 ?? 0);
  return withSpec({id: 'trellis/l1l2', config: {l1, l2}}, (weight: tf.Tensor) =>
    tf.tidy(() => {
      let penalty: tf.Scalar = tf.scalar(0);
      if (l1 !== 0) penalty = tf.add(penalty, tf.mul(l1, tf.sum(tf.abs(weight))));
      if (l2 !== 0) penalty = tf.add(penalty, tf.mul(l2, tf.sum(tf.square(weight))));
      return penalty;
    }),
  );
}
