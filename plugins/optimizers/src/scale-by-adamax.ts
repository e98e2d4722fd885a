/**
 * `scaleByAdamax({beta1, beta2, epsilon})`: Adam with the infinity norm, as Keras 3 computes it.
 * @module
 */
import {optionKeys} from '@trellis/core';
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
  const beta1 = checkNumber(who, 'beta1', options.beta1 ?? 0.9, {min: 0, max: 1});
  const beta2 = checkNumber(who, 'beta2', options.beta2 ?? 0.999, {min: 0, max: 1});
  const epsilon = checkNumber(who, 'epsilon', options.epsilon ?? 1e-7, {min: 0, minExclusive: true});
  const beta1f = Math.fround(beta1);
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
      // Look every slot up before computing, so a bad state throws before any op.
      const slots = Object.entries(grads).map(
        ([name, g]) => [name, g, slotFor(who, 'mu', muSlots, name, g), slotFor(who, 'nu', nuSlots, name, g)] as const,
      );
      const t = count + 1;
      const c1 = Math.fround(1 - Math.fround(beta1f ** t));
      return tidyObject(() => {
        const updates: Record<string, tf.Tensor> = {};
        const mu: Record<string, tf.Tensor> = {};
        const nu: Record<string, tf.Tensor> = {};
        for (const [name, g, m, u] of slots) {
          const m1 = tf.add(m, tf.mul(tf.sub(g, m), 1 - beta1));
          const u1 = tf.maximum(tf.mul(u, beta2), tf.abs(g));
          mu[name] = m1;
          nu[name] = u1;
          updates[name] = tf.div(m1, tf.mul(tf.add(u1, epsilon), c1));
        }
        return {
          updates: updates as NamedTensors,
          state: {count: t, mu: carrySlots(muSlots, mu), nu: carrySlots(nuSlots, nu)},
        };
      });
    },
  };
}
