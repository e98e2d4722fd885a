/**
 * `clipByValue(max)`: Keras' `clipvalue`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform} from '@trellis/core';
import {checkRequiredNumber} from './checks';
import type {EmptyState} from './identity';
import {mapNamed, stateless} from './stateless';

/**
 * Clips every element of every update to `[-max, max]` (Keras' `clipvalue`,
 * optax `clip`):
 *
 * ```
 * out = min(max(u, -max), max)
 * ```
 *
 * Shapes and dtypes follow the updates (float32). Stateless. Ownership:
 * `update` returns new tensors owned by the caller and disposes nothing.
 *
 * @param max - a finite number > 0.
 * @throws ConfigError when `max` is not a finite number > 0.
 */
export function clipByValue(max: number): GradientTransform<EmptyState> {
  const limit = checkRequiredNumber('clipByValue', 'max', max, {min: 0, minExclusive: true});
  return stateless('clipByValue', (grads) => mapNamed(grads, (g) => tf.clipByValue(g, -limit, limit)));
}
