/**
 * `scaleByAdamax({beta1, beta2, epsilon})`: Adam with the infinity norm, as Keras 3 computes it.
 * @module
 */
import {checkNumber, optionKeys} from '@trellis/core';
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform, NamedTensors} from '@trellis/core';
import {checkOptions} from './checks';
import {slotTransform} from './slot-transform';

/** Options of {@link scaleByAdamax}; defaults are Keras'. */
export type ScaleByAdamaxOptions = {
  /** Decay of the first moment, in [0, 1) (default 0.9; Keras `beta_1`). */
  readonly beta1?: number;
  /** Decay of the infinity norm, in [0, 1) (default 0.999; Keras `beta_2`). */
  readonly beta2?: number;
  /** > 0, added to the norm `u` (default 1e-7; Keras `epsilon`). */
  readonly epsilon?: number;
};

const KEYS = optionKeys<ScaleByAdamaxOptions>({beta1: true, beta2: true, epsilon: true});

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
  checkOptions(who, options, KEYS);
  const beta1 = checkNumber(who, 'beta1', options.beta1 ?? 0.9, {min: 0, max: 1, maxExclusive: true});
  const beta2 = checkNumber(who, 'beta2', options.beta2 ?? 0.999, {min: 0, max: 1, maxExclusive: true});
  const epsilon = checkNumber(who, 'epsilon', options.epsilon ?? 1e-7, {min: 0, minExclusive: true});
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
