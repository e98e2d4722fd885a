import * as tf from '@tensorflow/tfjs-core';
import {resolveAxes} from './validate';

/** Keras' `backend.epsilon()`, added to the norm before dividing. */
export const EPSILON = 1e-7;

/**
 * `w · desired(‖w‖) / (ε + ‖w‖)`, norms taken over `axis` (kept), the shared form of Keras' norm constraints.
 *
 * @throws ConfigError naming `owner` when `axis` lies outside the weight's rank.
 * @returns a new tensor (caller owns it); `weight` is not disposed.
 */
export function rescaleNorms(
  owner: string,
  weight: tf.Tensor,
  axis: number | readonly number[],
  desired: (norms: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  const axes = resolveAxes(owner, axis, weight.rank);
  return tf.tidy(() => {
    const norms = tf.sqrt(tf.sum(tf.square(weight), axes, true));
    return tf.mul(weight, tf.div(desired(norms), tf.add(EPSILON, norms)));
  });
}
