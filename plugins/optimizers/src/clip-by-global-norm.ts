/**
 * `clipByGlobalNorm(maxNorm)`: Keras' `global_clipnorm`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform} from '@trellis/core';
import {checkRequiredNumber} from './checks';
import type {EmptyState} from './identity';
import {mapNamed, stateless} from './stateless';

/**
 * Rescales all updates together so that their global L2 norm (over every
 * element of every update of the step) is at most `maxNorm` (Keras'
 * `global_clipnorm`, optax `clip_by_global_norm`), with Keras' formula
 * (`clip_by_global_norm` in `keras/src/optimizers/base_optimizer.py`):
 *
 * ```
 * norm  = sqrt(sum over updates of sum(u²))
 * scale = maxNorm * min(1 / norm, 1 / maxNorm) + (norm - norm)
 * out   = u * scale
 * ```
 *
 * The `(norm - norm)` term makes every update NaN when the norm is infinite
 * or NaN, as in Keras; an all-zero step stays zero. Shapes and dtypes follow
 * the updates (float32). Stateless. Ownership: `update` returns new tensors
 * owned by the caller and disposes nothing.
 *
 * @param maxNorm - a finite number > 0.
 * @throws ConfigError when `maxNorm` is not a finite number > 0.
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransform<EmptyState> {
  const limit = checkRequiredNumber('clipByGlobalNorm', 'maxNorm', maxNorm, {min: 0, minExclusive: true});
  // Keras computes `1.0 / clip_norm` in double precision; it meets float32 tensors rounded.
  const inverseLimit = 1 / limit;
  return stateless('clipByGlobalNorm', (grads) => {
    const all = Object.values(grads);
    if (all.length === 0) return {};
    const norm = tf.sqrt(tf.sum(tf.stack(all.map((g) => tf.sum(tf.square(g))))));
    const scale = tf.add(tf.mul(tf.minimum(tf.div(1, norm), inverseLimit), limit), tf.sub(norm, norm));
    return mapNamed(grads, (g) => tf.mul(g, scale));
  });
}
