/**
 * `scale(factor)`: multiplies updates by a constant.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform, NamedTensors} from '@trellis/core';
import {checkNamedTensors, checkNumber, tidyObject} from './checks';
import type {EmptyState} from './identity';

/**
 * Multiplies every update by `factor` (optax `scale`). Stateless: state `{}`.
 *
 * Shapes and dtypes follow the gradients (float32). Ownership: `update`
 * returns new tensors owned by the caller and disposes nothing.
 *
 * @param factor - a finite number (may be negative or zero).
 * @throws ConfigError when `factor` is not a finite number.
 */
export function scale(factor: number): GradientTransform<EmptyState> {
  checkNumber('scale', 'factor', factor);
  return {
    init: () => ({}),
    update(grads) {
      checkNamedTensors('scale', 'gradient', grads);
      return tidyObject(() => {
        const updates: Record<string, tf.Tensor> = {};
        for (const [name, g] of Object.entries(grads)) updates[name] = tf.mul(g, factor);
        return {updates: updates as NamedTensors, state: {}};
      });
    },
  };
}
