/**
 * `scaleByAdamax({beta1, beta2, epsilon})`: Adam with the infinity norm, as Keras 3 computes it.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform, NamedTensors} from '@trellis/core';
import {checkTransformOptions, type DeclaredTransformOptions} from './declared-options';
import {MOMENT_OPTIONS} from './moment-options';
import {slotTransform} from './slot-transform';

/**
 * Options of {@link scaleByAdamax}; defaults are Keras'.
 * `beta2` is the decay of the infinity norm, and `epsilon` (> 0) is added to the norm `u`.
 */
export type ScaleByAdamaxOptions = DeclaredTransformOptions<typeof MOMENT_OPTIONS>;

/** State of {@link scaleByAdamax}: slots keyed by variable name, and the host step counter. */
export type ScaleByAdamaxState = {
  /** Updates made so far (Keras `iterations`); `t = count + 1` in the bias correction. */
  readonly count: number;
  /** First moments: `mu['dense/kernel']` has the variable's shape (Keras `momentum`). */
  readonly mu: NamedTensors;
  /** Exponentially weighted infinity norms, same keys and shapes (Keras `norm`). */
  readonly nu: NamedTensors;
};

/**
 * Rescales gradients with Adamax (Kingma & Ba, 2014, Section 7.1) as Keras 3's
 * `Adamax.update_step` does (optax `scale_by_adamax`, with Keras' epsilon).
 * With `t = count + 1`:
 *
 * ```
 * mu  = mu + (g - mu) * (1 - beta1)
 * nu  = maximum(beta2 * nu, |g|)
 * out = mu / ((1 - beta1^t) * (nu + epsilon))
 * ```
 *
 * Chain it with {@link scaleByLearningRate} to get Keras'
 * `variable -= lr * m / ((1 - beta1^t) * (u + epsilon))`. `beta1^t` is
 * computed on the host in float32 like Keras (`fround(fround(beta1)^t)`).
 * Slots are float32 zeros shaped like each parameter; a variable without a
 * gradient in a step keeps its slots.
 *
 * Ownership: `init` and `update` return new tensors owned by the caller;
 * neither disposes its inputs.
 *
 * @throws ConfigError when a beta is not in [0, 1) or epsilon is not > 0.
 */
export function scaleByAdamax(options: ScaleByAdamaxOptions = {}): GradientTransform<ScaleByAdamaxState> {
  const who = 'scaleByAdamax';
  const {beta1, beta2, epsilon} = checkTransformOptions(who, options, MOMENT_OPTIONS);
  const beta1f = Math.fround(beta1);
  return slotTransform({
    who,
    slots: ['mu', 'nu'],
    count: true,
    update(g, {mu, nu}, {count}) {
      const c1 = Math.fround(1 - Math.fround(beta1f ** (count + 1)));
      const m1 = tf.add(mu, tf.mul(tf.sub(g, mu), 1 - beta1));
      const u1 = tf.maximum(tf.mul(nu, beta2), tf.abs(g));
      return {update: tf.div(m1, tf.mul(tf.add(u1, epsilon), c1)), slots: {mu: m1, nu: u1}};
    },
  });
}
