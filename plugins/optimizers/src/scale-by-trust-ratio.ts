/**
 * `scaleByTrustRatio()`: LAMB's layer-wise trust ratio, as Keras 3 computes it.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, describe, type GradientTransform} from '@trellis/core';
import {checkNamedTensors} from './checks';
import type {EmptyState} from './identity';
import {stateless} from './stateless';

/**
 * Scales each variable's update `u` by the ratio of the variable's norm to
 * the update's norm (You et al., 2019, "Large Batch Optimization for Deep
 * Learning: Training BERT in 76 minutes"; optax `scale_by_trust_ratio`), as
 * Keras 3's `Lamb.update_step` does:
 *
 * ```
 * ratio = ||w|| / ||u||   if ||w|| > 0 and ||u|| > 0, else 1
 * out   = ratio * u
 * ```
 *
 * The norms are Frobenius norms over the whole variable
 * (`sqrt(sum(w²))`), one ratio per variable. `w` is the value passed as
 * `params` to `update` (what `StatefulOptimizer` and the fit loop pass: the
 * variables before this step's update). Keras' `Lamb` is
 * `chain(scaleByAdam({epsilonAfterCorrection: true}), scaleByTrustRatio(), scaleByLearningRate(lr))`.
 * The ratios stay on the device (no readback).
 *
 * State: `{}`. Ownership: `update` returns new tensors owned by the caller
 * and disposes nothing. Shapes and dtypes follow the gradients (float32).
 *
 * @throws ConfigError from `update` when `params` is missing or lacks a
 *   variable that has an update; ShapeError when a variable's shape differs
 *   from its update's.
 */
export function scaleByTrustRatio(): GradientTransform<EmptyState> {
  const who = 'scaleByTrustRatio';
  return stateless(who, (grads, params) => {
    if (params === undefined) {
      throw new ConfigError(
        `${who}: update needs the parameters (the trust ratio is ||w|| / ||update||); got ${describe(params)}. ` +
          'Call update(grads, state, params), as StatefulOptimizer and model.fit do.',
      );
    }
    checkNamedTensors(who, 'parameter', params);
    const pairs = Object.entries(grads).map(([name, u]) => {
      const w = params[name];
      if (w === undefined) {
        throw new ConfigError(
          `${who}: no parameter '${name}' for its update (params has [${Object.keys(params).join(', ')}]). Pass every variable that gets an update.`,
        );
      }
      if (!tf.util.arraysEqual(w.shape, u.shape)) {
        throw new ShapeError(
          `${who}: the update of '${name}' has shape [${u.shape.join(', ')}] but the parameter has [${w.shape.join(', ')}].`,
        );
      }
      return [name, u, w] as const;
    });
    const updates: Record<string, tf.Tensor> = {};
    for (const [name, u, w] of pairs) {
      const wNorm = tf.sqrt(tf.sum(tf.square(w)));
      const uNorm = tf.sqrt(tf.sum(tf.square(u)));
      const one = tf.onesLike(wNorm);
      const ratio = tf.where(tf.greater(wNorm, 0), tf.where(tf.greater(uNorm, 0), tf.div(wNorm, uNorm), one), one);
      updates[name] = tf.mul(u, ratio);
    }
    return updates;
  });
}
