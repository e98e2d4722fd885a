/**
 * `identity()`: the transform that changes nothing.
 * @module
 */
import type {GradientTransform} from '@trellis/core';
import {stateless} from './stateless';

/** The state of transforms that keep none (`identity`, `scale`): an empty object. */
export type EmptyState = {readonly [key: string]: never};

/**
 * The identity transform (optax `identity`): updates equal the gradients.
 * Useful as a placeholder in a `chain` or as a base case in generic code.
 *
 * Ownership: `update` returns clones of the gradients (cheap: tfjs shares the
 * data), so the caller may dispose the updates without touching the
 * gradients; it disposes nothing. State: `{}`.
 */
export function identity(): GradientTransform<EmptyState> {
  return stateless('identity', (grads) => grads);
}
