import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, withSpec, type Constraint} from '@trellis/core';
import {rescaleNorms} from './norms';
import {checkAxis, checkRate} from './validate';

/** Config of {@link minMaxNorm}. */
export type MinMaxNormConfig = {
  /** Smallest norm (default 0). */
  readonly minValue?: number;
  /** Largest norm (default 1). */
  readonly maxValue?: number;
  /** 1 (default) enforces the bounds strictly; below 1 moves the norm part of the way each step. */
  readonly rate?: number;
  /** Axis or axes the norm is taken over (default 0). */
  readonly axis?: number | readonly number[];
};

/**
 * Keras `MinMaxNorm`: `w · (rate · clip(‖w‖, minValue, maxValue) + (1 − rate) · ‖w‖) / (ε + ‖w‖)`,
 * ε = 1e-7, norms over `axis`.
 *
 * @throws ConfigError for negative/non-finite values, `minValue > maxValue` or a bad `axis`, and
 *   (when called) for an axis outside the weight's rank.
 * @returns a constraint returning a new tensor of the weight's shape (caller owns it); the weight is not disposed.
 */
export function minMaxNorm(
  config: MinMaxNormConfig = {},
): Constraint<{minValue: number; maxValue: number; rate: number; axis: number | number[]}> {
  const minValue = checkRate('minMaxNorm', 'minValue', config.minValue ?? 0);
  const maxValue = checkRate('minMaxNorm', 'maxValue', config.maxValue ?? 1);
  const rate = checkRate('minMaxNorm', 'rate', config.rate ?? 1);
  if (minValue > maxValue) {
    throw new ConfigError(`minMaxNorm: minValue (${minValue}) must not exceed maxValue (${maxValue}).`);
  }
  const axis = checkAxis('minMaxNorm', config.axis ?? 0);
  return withSpec({id: 'trellis/minMaxNorm', config: {minValue, maxValue, rate, axis}}, (weight: tf.Tensor) =>
    rescaleNorms('minMaxNorm', weight, axis, (norms) =>
      tf.add(tf.mul(rate, tf.clipByValue(norms, minValue, maxValue)), tf.mul(1 - rate, norms)),
    ),
  );
}
