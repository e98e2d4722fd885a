import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type Constraint} from '@trellis/core';
import {EPSILON} from './norms';
import {checkAxis, resolveAxes} from './validate';

/** Config of {@link unitNorm}. */
export type UnitNormConfig = {
  /** Axis or axes the norm is taken over (default 0). */
  readonly axis?: number | readonly number[];
};

/**
 * Keras `UnitNorm`: `w / (ε + ‖w‖)`, ε = 1e-7, norms over `axis`.
 *
 * @throws ConfigError for a bad `axis`, and (when called) for an axis outside the weight's rank.
 * @returns a constraint returning a new tensor of the weight's shape (caller owns it); the weight is not disposed.
 */
export function unitNorm(config: UnitNormConfig = {}): Constraint<{axis: number | number[]}> {
  const axis = checkAxis('unitNorm', config.axis ?? 0);
  return withSpec({id: 'trellis/unitNorm', config: {axis}}, (weight: tf.Tensor) => {
    const axes = resolveAxes('unitNorm', axis, weight.rank);
    return tf.tidy(() => tf.div(weight, tf.add(EPSILON, tf.sqrt(tf.sum(tf.square(weight), axes, true)))));
  });
}
