/**
 * `scale(factor)`: multiplies updates by a constant.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform} from '@trellis/core';
import {checkRequiredNumber} from './checks';
import type {EmptyState} from './identity';
import {mapNamed, stateless} from './stateless';

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
  checkRequiredNumber('scale', 'factor', factor);
  return stateless('scale', (grads) => mapNamed(grads, (g) => tf.mul(g, factor)));
}
