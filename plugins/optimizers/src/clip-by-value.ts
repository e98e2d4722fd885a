/**
 * `clipByValue(max)`: Keras' `clipvalue`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform, NamedTensors} from '@trellis/core';
import {checkNamedTensors, checkNumber, tidyObject} from './checks';
import type {EmptyState} from './identity';

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
  const limit = checkNumber('clipByValue', 'max', max, {min: 0, minExclusive: true});
  return {
    init: () => ({}),
    update(grads) {
      checkNamedTensors('clipByValue', 'gradient', grads);
      return tidyObject(() => {
        const updates: Record<string, tf.Tensor> = {};
        for (const [name, g] of Object.entries(grads)) updates[name] = tf.clipByValue(g, -limit, limit);
        return {updates: updates as NamedTensors, state: {}};
      });
    },
  };
}
