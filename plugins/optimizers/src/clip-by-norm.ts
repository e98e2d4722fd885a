/**
 * `clipByNorm(maxNorm)`: Keras' `clipnorm`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform} from '@trellis/core';
import {checkRequiredNumber} from './checks';
import type {EmptyState} from './identity';
import {mapNamed, stateless} from './stateless';

/**
 * Rescales each update on its own so that its L2 norm (over all its elements)
 * is at most `maxNorm` (Keras' `clipnorm`), with Keras' formula
 * (`BaseOptimizer._clip_by_norm`), no epsilon:
 *
 * ```
 * s    = sum(u²)
 * norm = s > 0 ? sqrt(s) : s
 * out  = (u * maxNorm) / max(norm, maxNorm)
 * ```
 *
 * An update with norm <= maxNorm comes out as `(u * maxNorm) / maxNorm`
 * (equal to `u` up to float32 rounding, as in Keras); an all-zero update
 * stays zero. Shapes and dtypes follow the updates (float32). Stateless.
 * Ownership: `update` returns new tensors owned by the caller and disposes nothing.
 *
 * @param maxNorm - a finite number > 0.
 * @throws ConfigError when `maxNorm` is not a finite number > 0.
 */
export function clipByNorm(maxNorm: number): GradientTransform<EmptyState> {
  const limit = checkRequiredNumber('clipByNorm', 'maxNorm', maxNorm, {min: 0, minExclusive: true});
  return stateless('clipByNorm', (grads) =>
    mapNamed(grads, (g) => {
      const sumOfSquares = tf.sum(tf.square(g));
      const positive = tf.greater(sumOfSquares, 0);
      // Keras' two-sided where (it keeps the square root's gradient finite at 0).
      const safe = tf.where(positive, sumOfSquares, tf.onesLike(sumOfSquares));
      const norm = tf.where(positive, tf.sqrt(safe), sumOfSquares);
      return tf.div(tf.mul(g, limit), tf.maximum(norm, limit));
    }),
  );
}
