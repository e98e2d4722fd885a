/**
 * `scaleByAdam({beta1, beta2, epsilon})`: Adam's moment estimates, as Keras 3 computes them.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform, NamedTensors} from '@trellis/core';
import {
  carrySlots,
  checkNamedTensors,
  checkNumber,
  checkOptions,
  slotFor,
  stateCount,
  stateRecord,
  stateSlots,
  tidyObject,
} from './checks';

/** Options of {@link scaleByAdam}; defaults are Keras'. */
export type ScaleByAdamOptions = {
  /** Decay of the first moment, in [0, 1) (default 0.9; Keras `beta_1`). */
  readonly beta1?: number;
  /** Decay of the second moment, in [0, 1) (default 0.999; Keras `beta_2`). */
  readonly beta2?: number;
  /**
   * Added to `sqrt(v)` of the *uncorrected* second moment, >= 0 (default
   * 1e-7; Keras `epsilon`, the paper's "epsilon hat").
   */
  readonly epsilon?: number;
};

/** State of {@link scaleByAdam}: slots keyed by variable name, and the host step counter. */
export type ScaleByAdamState = {
  /** Updates made so far (Keras `iterations`); `t = count + 1` in the bias corrections. */
  readonly count: number;
  /** First moments: `mu['dense/kernel']` has the variable's shape (Keras `momentum`). */
  readonly mu: NamedTensors;
  /** Second moments, same keys and shapes (Keras `velocity`). */
  readonly nu: NamedTensors;
};

/**
 * Rescales gradients by Adam's moment estimates with Keras 3's formula
 * (optax `scale_by_adam`, with Keras' epsilon placement). With `t = count + 1`:
 *
 * ```
 * mu  = mu + (g - mu) * (1 - beta1)            // = beta1*mu + (1-beta1)*g
 * nu  = nu + (g² - nu) * (1 - beta2)
 * out = sqrt(1 - beta2^t) / (1 - beta1^t) * mu / (sqrt(nu) + epsilon)
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
 * gradient in a step keeps its slots. With `epsilon = 0` a zero gradient
 * history gives 0/0 = NaN, as in Keras.
 *
 * Ownership: `init` and `update` return new tensors owned by the caller;
 * neither disposes its inputs.
 *
 * @throws ConfigError when a beta is not in [0, 1) or epsilon is negative.
 */
export function scaleByAdam(options: ScaleByAdamOptions = {}): GradientTransform<ScaleByAdamState> {
  const who = 'scaleByAdam';
  checkOptions(who, options, ['beta1', 'beta2', 'epsilon']);
  const beta1 = checkNumber(who, 'beta1', options.beta1 ?? 0.9, {min: 0, max: 1});
  const beta2 = checkNumber(who, 'beta2', options.beta2 ?? 0.999, {min: 0, max: 1});
  const epsilon = checkNumber(who, 'epsilon', options.epsilon ?? 1e-7, {min: 0});
  const beta1f = Math.fround(beta1);
  const beta2f = Math.fround(beta2);
  return {
    init(params) {
      checkNamedTensors(who, 'parameter', params);
      return tidyObject(() => {
        const mu: Record<string, tf.Tensor> = {};
        const nu: Record<string, tf.Tensor> = {};
        for (const [name, p] of Object.entries(params)) {
          mu[name] = tf.zerosLike(p);
          nu[name] = tf.zerosLike(p);
        }
        return {count: 0, mu: mu as NamedTensors, nu: nu as NamedTensors};
      });
    },
    update(grads, state) {
      checkNamedTensors(who, 'gradient', grads);
      const record = stateRecord(who, state);
      const count = stateCount(who, record);
      const muSlots = stateSlots(who, record, 'mu');
      const nuSlots = stateSlots(who, record, 'nu');
      const slots = Object.entries(grads).map(
        ([name, g]) => [name, g, slotFor(who, 'mu', muSlots, name, g), slotFor(who, 'nu', nuSlots, name, g)] as const,
      );
      const t = count + 1;
      // Keras folds both bias corrections into one scalar on m (its alpha / lr)
      // and computes the powers in float32: beta1^t and beta2^t of the
      // float32 betas, rounded to float32. Doing the same keeps 1 - beta2^t,
      // which is ~1e-3 early on, within an ulp of Keras' value.
      const correction = Math.sqrt(1 - Math.fround(beta2f ** t)) / (1 - Math.fround(beta1f ** t));
      return tidyObject(() => {
        const updates: Record<string, tf.Tensor> = {};
        const mu: Record<string, tf.Tensor> = {};
        const nu: Record<string, tf.Tensor> = {};
        for (const [name, g, m, v] of slots) {
          const m1 = tf.add(m, tf.mul(tf.sub(g, m), 1 - beta1));
          const v1 = tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - beta2));
          mu[name] = m1;
          nu[name] = v1;
          updates[name] = tf.div(tf.mul(m1, correction), tf.add(tf.sqrt(v1), epsilon));
        }
        return {
          updates: updates as NamedTensors,
          state: {count: t, mu: carrySlots(muSlots, mu), nu: carrySlots(nuSlots, nu)},
        };
      });
    },
  };
}
