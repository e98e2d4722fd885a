/**
 * `scaleByNadam({beta1, beta2, epsilon})`: Adam with Nesterov momentum, as Keras 3 computes it.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {checkTransformOptions, type DeclaredTransformOptions} from './declared-options';
import {MOMENT_OPTIONS} from './moment-options';
import {StateError, describe, type GradientTransform, type NamedTensors, type StateTree} from '@trellis/core';
import {carrySlots, checkNamedTensors, slotFor, stateCount, stateRecord, stateSlots, tidyObject} from './checks';

/**
 * Options of {@link scaleByNadam}; defaults are Keras'.
 * `epsilon` (> 0) is added to the bias-corrected `sqrt(v̂)`.
 */
export type ScaleByNadamOptions = DeclaredTransformOptions<typeof MOMENT_OPTIONS>;

/** State of {@link scaleByNadam}: slots keyed by variable name and two host numbers. */
export type ScaleByNadamState = {
  /** Updates made so far (Keras `iterations`); `t = count + 1`. */
  readonly count: number;
  /**
   * The product of the momentum schedule `u_1 · u_2 · … · u_t` so far, a host
   * number held in float32 like Keras' `u_product` variable (1 before the first update).
   */
  readonly uProduct: number;
  /** First moments: `mu['dense/kernel']` has the variable's shape (Keras `momentum`). */
  readonly mu: NamedTensors;
  /** Second moments, same keys and shapes (Keras `velocity`). */
  readonly nu: NamedTensors;
};

/** The decay of Nadam's momentum schedule (Dozat, 2016), fixed in Keras. */
const SCHEDULE_DECAY = Math.fround(0.96);

/** Reads the host number `state.uProduct` (finite, in [0, 1]) or throws a `StateError`. */
function stateUProduct(who: string, state: Readonly<Record<string, StateTree>>): number {
  const value = state.uProduct;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new StateError(
      `${who}: state.uProduct must be a number in [0, 1] (the product of the momentum schedule); got ${describe(value)}. ` +
        'Pass the state returned by init or the previous update.',
    );
  }
  return value;
}

/**
 * Rescales gradients with Nadam (Dozat, 2016) as Keras 3's `Nadam` does
 * (optax `scale_by_adam(nesterov=True)` differs: it has no momentum
 * schedule). With `t = count + 1` and the momentum schedule
 * `u_t = beta1 * (1 - 0.5 * 0.96^t)`:
 *
 * ```
 * uProduct = uProduct * beta1 * (1 - 0.5 * 0.96^t)        // = u_1 · … · u_t
 * mu  = mu + (g - mu) * (1 - beta1)
 * nu  = nu + (g² - nu) * (1 - beta2)
 * m̂   = u_{t+1} * mu / (1 - uProduct * u_{t+1}) + (1 - u_t) * g / (1 - uProduct)
 * v̂   = nu / (1 - beta2^t)
 * out = m̂ / (sqrt(v̂) + epsilon)
 * ```
 *
 * Chain it with {@link scaleByLearningRate} to get Keras'
 * `variable -= m̂ * lr / (sqrt(v̂) + epsilon)`. Every scalar (`u_t`,
 * `u_{t+1}`, `uProduct`, `beta2^t`) is computed on the host in float32 with
 * Keras' order of operations, and `uProduct` is kept in the state as a host
 * number, so there is no device readback. It advances once per update, as
 * Keras' `u_product` advances once per `apply_gradients`, also for
 * variables without a gradient in that step (they keep their slots).
 *
 * Ownership: `init` and `update` return new tensors owned by the caller;
 * neither disposes its inputs.
 *
 * @throws ConfigError when a beta is not in [0, 1) or epsilon is not > 0.
 */
export function scaleByNadam(options: ScaleByNadamOptions = {}): GradientTransform<ScaleByNadamState> {
  const who = 'scaleByNadam';
  const {beta1, beta2, epsilon} = checkTransformOptions(who, options, MOMENT_OPTIONS);
  const f = Math.fround;
  const beta1f = f(beta1);
  const beta2f = f(beta2);
  // Keras casts beta_1 and beta_2 to float32 tensors before `1 - beta`.
  const oneMinusBeta1 = f(1 - beta1f);
  const oneMinusBeta2 = f(1 - beta2f);
  /** `1 - 0.5 * 0.96^t` in float32 (the halving is exact). */
  const scheduleFactor = (t: number): number => f(1 - 0.5 * f(SCHEDULE_DECAY ** t));
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
        return {count: 0, uProduct: 1, mu: mu as NamedTensors, nu: nu as NamedTensors};
      });
    },
    update(grads, state) {
      checkNamedTensors(who, 'gradient', grads);
      const record = stateRecord(who, state);
      const count = stateCount(who, record);
      const previousProduct = stateUProduct(who, record);
      const muSlots = stateSlots(who, record, 'mu');
      const nuSlots = stateSlots(who, record, 'nu');
      // Look every slot up before computing, so a bad state throws before any op.
      const slots = Object.entries(grads).map(
        ([name, g]) => [name, g, slotFor(who, 'mu', muSlots, name, g), slotFor(who, 'nu', nuSlots, name, g)] as const,
      );
      const t = count + 1;
      // Keras' _backend_update_step: u_product = u_product * beta_1 * (1 - 0.5 * 0.96^t).
      const uProduct = f(f(previousProduct * beta1f) * scheduleFactor(t));
      // Keras' update_step: u_t = beta_1 * (1 - 0.5 * 0.96^t), u_t_1 likewise at t + 1.
      const uT = f(beta1f * scheduleFactor(t));
      const uNext = f(beta1f * scheduleFactor(t + 1));
      const uProductNext = f(uProduct * uNext);
      const momentumScale = uNext;
      const momentumDivisor = f(1 - uProductNext);
      const gradientScale = f(1 - uT);
      const gradientDivisor = f(1 - uProduct);
      const c2 = f(1 - f(beta2f ** t));
      return tidyObject(() => {
        const updates: Record<string, tf.Tensor> = {};
        const mu: Record<string, tf.Tensor> = {};
        const nu: Record<string, tf.Tensor> = {};
        for (const [name, g, m, v] of slots) {
          const m1 = tf.add(m, tf.mul(tf.sub(g, m), oneMinusBeta1));
          const v1 = tf.add(v, tf.mul(tf.sub(tf.square(g), v), oneMinusBeta2));
          mu[name] = m1;
          nu[name] = v1;
          const mHat = tf.add(tf.div(tf.mul(m1, momentumScale), momentumDivisor), tf.div(tf.mul(g, gradientScale), gradientDivisor));
          updates[name] = tf.div(mHat, tf.add(tf.sqrt(tf.div(v1, c2)), epsilon));
        }
        return {
          updates: updates as NamedTensors,
          state: {count: t, uProduct, mu: carrySlots(muSlots, mu), nu: carrySlots(nuSlots, nu)},
        };
      });
    },
  };
}
