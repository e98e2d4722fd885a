/**
 * `scaleByAdam({beta1, beta2, epsilon, amsgrad, epsilonAfterCorrection})`: Adam's
 * moment estimates, as Keras 3 computes them.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform, NamedTensors} from '@trellis/core';
import {checkTransformOptions, type DeclaredTransformOptions} from './declared-options';
import {MOMENT_OPTIONS} from './moment-options';
import {slotTransform} from './slot-transform';

/** The options of {@link scaleByAdam}: Keras' defaults and the valid ranges. */
const OPTIONS = {
  ...MOMENT_OPTIONS,
  /**
   * > 0, added to `sqrt(v)` of the *uncorrected* second moment (default
   * 1e-7; Keras `epsilon`, the paper's "epsilon hat"), or to `sqrt(v̂)` with
   * `epsilonAfterCorrection`.
   */
  epsilon: MOMENT_OPTIONS.epsilon,
  /**
   * AMSGrad (Reddi et al., 2018): divide by the running maximum of the second
   * moment instead of the moment itself (default false; Keras `amsgrad`).
   * Adds the slot `nuMax` (Keras `velocity_hat`).
   */
  amsgrad: {default: false},
  /**
   * Add epsilon to the bias-corrected `sqrt(v̂)` (Algorithm 1 of the paper;
   * Keras' `Lamb`, tfjs-core's `tf.train.adam`, optax) instead of to `sqrt(v)`
   * before the correction (Keras' `Adam`/`AdamW`). Default false.
   */
  epsilonAfterCorrection: {default: false},
} as const;

/** Options of {@link scaleByAdam}; defaults are Keras'. */
export type ScaleByAdamOptions = DeclaredTransformOptions<typeof OPTIONS>;

/** State of {@link scaleByAdam}: slots keyed by variable name, and the host step counter. */
export type ScaleByAdamState = {
  /** Updates made so far (Keras `iterations`); `t = count + 1` in the bias corrections. */
  readonly count: number;
  /** First moments: `mu['dense/kernel']` has the variable's shape (Keras `momentum`). */
  readonly mu: NamedTensors;
  /** Second moments, same keys and shapes (Keras `velocity`). */
  readonly nu: NamedTensors;
  /**
   * Only with `amsgrad`: the largest `nu` seen so far, elementwise, same keys
   * and shapes (Keras `velocity_hat`).
   */
  readonly nuMax?: NamedTensors;
};

/**
 * Rescales gradients by Adam's moment estimates with Keras 3's formula
 * (optax `scale_by_adam`, with Keras' epsilon placement). With `t = count + 1`:
 *
 * ```
 * mu    = mu + (g - mu) * (1 - beta1)          // = beta1*mu + (1-beta1)*g
 * nu    = nu + (g² - nu) * (1 - beta2)
 * nuMax = maximum(nuMax, nu)                    // amsgrad only; then v = nuMax, else v = nu
 * out   = mu * (sqrt(1 - beta2^t) / (1 - beta1^t)) / (sqrt(v) + epsilon)
 * ```
 *
 * That is Keras' `Adam.update_step` (`alpha = lr * sqrt(1 - beta_2_power) /
 * (1 - beta_1_power)`, `variable -= m * alpha / (sqrt(v) + epsilon)`, with
 * `v_hat = maximum(v_hat, v)` when `amsgrad`). With `epsilonAfterCorrection`
 * it is instead Keras' `Lamb` direction (and tfjs-core's/optax' Adam):
 *
 * ```
 * out = (mu / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
 * ```
 *
 * Chain it with {@link scaleByLearningRate} to get Keras'
 * `variable -= lr * sqrt(1-beta2^t)/(1-beta1^t) * m / (sqrt(v) + epsilon)`.
 * In bias-corrected terms `out = m̂ / (sqrt(v̂) + epsilon / sqrt(1 - beta2^t))`:
 * epsilon is added before the correction of `v`, so it acts as
 * `epsilon / sqrt(1 - beta2^t)` on `sqrt(v̂)` (31.6·epsilon at the first step
 * with beta2 = 0.999, tending to epsilon). tfjs-core's `tf.train.adam` and
 * optax add epsilon to `sqrt(v̂)` directly; see the package README.
 *
 * The powers `beta^t` are computed on the host from the counter, as Keras
 * does in float32: `fround(fround(beta)^t)` (no device readback).
 * Slots are float32 zeros shaped like each parameter; a variable without a
 * gradient in a step keeps its slots (`nuMax` too).
 *
 * Ownership: `init` and `update` return new tensors owned by the caller;
 * neither disposes its inputs.
 *
 * @throws ConfigError when a beta is not in [0, 1), epsilon is not > 0, or
 *   `amsgrad`/`epsilonAfterCorrection` is not a boolean.
 */
export function scaleByAdam(options: ScaleByAdamOptions = {}): GradientTransform<ScaleByAdamState> {
  const who = 'scaleByAdam';
  const {beta1, beta2, epsilon, amsgrad, epsilonAfterCorrection: afterCorrection} = checkTransformOptions(who, options, OPTIONS);
  const beta1f = Math.fround(beta1);
  const beta2f = Math.fround(beta2);
  const slots: readonly ('mu' | 'nu' | 'nuMax')[] = amsgrad ? ['mu', 'nu', 'nuMax'] : ['mu', 'nu'];
  return slotTransform({
    who,
    slots,
    count: true,
    update(g, {mu, nu, nuMax}, {count}) {
      const t = count + 1;
      // Keras computes the powers in float32: beta1^t and beta2^t of the
      // float32 betas, rounded to float32. Doing the same keeps 1 - beta2^t,
      // which is ~1e-3 early on, within an ulp of Keras' value.
      const c1 = Math.fround(1 - Math.fround(beta1f ** t));
      const c2 = Math.fround(1 - Math.fround(beta2f ** t));
      const m1 = tf.add(mu, tf.mul(tf.sub(g, mu), 1 - beta1));
      const v1 = tf.add(nu, tf.mul(tf.sub(tf.square(g), nu), 1 - beta2));
      const v = amsgrad ? tf.maximum(nuMax, v1) : v1;
      const update = afterCorrection
        ? tf.div(tf.div(m1, c1), tf.add(tf.sqrt(tf.div(v, c2)), epsilon))
        : // Adam folds both bias corrections into one scalar on m (its alpha / lr).
          tf.div(tf.mul(m1, Math.sqrt(c2) / c1), tf.add(tf.sqrt(v), epsilon));
      return {update, slots: {mu: m1, nu: v1, nuMax: v}};
    },
  }) as GradientTransform<ScaleByAdamState>;
}
