/**
 * Inverted dropout with a broadcast mask, shared by the spatial dropout layers (internal).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, describe} from '@trellis/core';

/** Checks the `rate` option, a dropout rate in [0, 1). */
export function dropoutRate(kind: string, options: {readonly rate?: unknown}): number {
  const {rate} = options;
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new ConfigError(`${kind}: rate must be a number in [0, 1) (the fraction to drop); got ${describe(rate)}.`);
  }
  return rate;
}

/** Inverted dropout of `x` with a keep mask of `maskShape` broadcast against it. */
export function dropWithMask(x: tf.Tensor, rate: number, maskShape: number[], seed: number): tf.Tensor {
  const keep = tf.cast(tf.greaterEqual(tf.randomUniform(maskShape, 0, 1, 'float32', seed), rate), 'float32');
  return tf.mul(x, tf.mul(keep, 1 / (1 - rate)));
}
