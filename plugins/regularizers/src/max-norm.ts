import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type Constraint} from '@trellis/core';
import {rescaleNorms} from './norms';
import {checkAxis, checkRate} from './validate';

/** Config of {@link maxNorm}. */
export type MaxNormConfig = {
  /** Largest norm allowed (default 2). */
  readonly maxValue?: number;
  /** Axis or axes the norm is taken over (default 0: each column of a dense kernel). */
  readonly axis?: number | readonly number[];
};

/**
 * Keras `MaxNorm`: `w · clip(‖w‖, 0, maxValue) / (ε + ‖w‖)`, ε = 1e-7, norms over `axis`.
 *
 * @throws ConfigError for a negative/non-finite `maxValue` or a bad `axis`; ConfigError (when called) for
 *   an axis outside the weight's rank.
 * @returns a constraint returning a new tensor of the weight's shape (caller owns it); the weight is not disposed.
 */
export function maxNorm(config: MaxNormConfig = {}): Constraint<{maxValue: number; axis: number | number[]}> {
  const maxValue = checkRate('maxNorm', 'maxValue', config.maxValue ?? 2);
  const axis = checkAxis('maxNorm', config.axis ?? 0);
  return withSpec({id: 'trellis/maxNorm', config: {maxValue, axis}}, (weight: tf.Tensor) =>
    rescaleNorms('maxNorm', weight, axis, (norms) => tf.clipByValue(norms, 0, maxValue)),
  );
}
