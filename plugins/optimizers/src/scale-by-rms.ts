/**
 * `scaleByRms({rho, epsilon, centered})`: RMSprop's normalization, as Keras 3 computes it.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform, NamedTensors} from '@trellis/core';
import {checkTransformOptions, type DeclaredTransformOptions} from './declared-options';
import {slotTransform} from './slot-transform';

/** The options of {@link scaleByRms}: Keras' defaults and the valid ranges. */
const OPTIONS = {
  /** Decay of the moving averages, in [0, 1) (default 0.9; Keras `rho`). */
  rho: {default: 0.9, min: 0, max: 1},
  /** > 0, added to the mean square *inside* the square root (default 1e-7; Keras `epsilon`). */
  epsilon: {default: 1e-7, min: 0, minExclusive: true},
  /** Divide by the estimated standard deviation instead of the root mean square (default false; Keras `centered`). */
  centered: {default: false},
} as const;

/** Options of {@link scaleByRms}; defaults are Keras' `RMSprop`. */
export type ScaleByRmsOptions = DeclaredTransformOptions<typeof OPTIONS>;

/** State of {@link scaleByRms}: slots keyed by variable name. */
export type ScaleByRmsState = {
  /** Moving averages of `g²`: `nu['dense/kernel']` has the variable's shape, float32 (Keras `velocity`). */
  readonly nu: NamedTensors;
  /** Moving averages of `g`, only when `centered` (Keras `average_gradient`). */
  readonly mu?: NamedTensors;
};

/**
 * Divides gradients by the root of a moving average of their squares, with
 * Keras 3's `RMSprop` formula (optax `scale_by_rms` with epsilon inside the
 * root; `centered`: optax `scale_by_stddev`):
 *
 * ```
 * nu  = rho * nu + (1 - rho) * g²
 * out = g / sqrt(nu + epsilon)
 * centered:
 * mu  = rho * mu + (1 - rho) * g
 * out = g / sqrt(nu - mu² + epsilon)
 * ```
 *
 * Chain it with {@link scaleByLearningRate} to get Keras' update
 * `w -= lr * g / sqrt(nu + epsilon)`. Keras' `momentum` option is not part of
 * this transform: Keras accumulates the *rate-scaled* increment
 * (`m = momentum * m + lr * g / sqrt(...)`, `w -= m`), so the momentum trace
 * goes after the learning rate, `chain(scaleByRms(...),
 * scaleByLearningRate(lr), scaleByMomentum({decay: momentum}))`, which is what
 * {@link rmsprop} builds; a trace before the rate would rescale the whole
 * velocity whenever a schedule changes the rate.
 *
 * Slots are float32 zeros shaped like each parameter; a variable without a
 * gradient in a step keeps its slots. Shapes and dtypes of the updates follow
 * the gradients. Ownership: `init` and `update` return new tensors owned by
 * the caller; neither disposes its inputs.
 *
 * @throws ConfigError when `rho` is not in [0, 1), `epsilon` is not > 0 or
 *   `centered` is not a boolean.
 */
export function scaleByRms(options: ScaleByRmsOptions = {}): GradientTransform<ScaleByRmsState> {
  const who = 'scaleByRms';
  const {rho, epsilon, centered} = checkTransformOptions(who, options, OPTIONS);
  const slots: readonly ('nu' | 'mu')[] = centered ? ['nu', 'mu'] : ['nu'];
  return slotTransform({
    who,
    slots,
    update(g, {nu, mu}) {
      // Keras' order of operations: rho * v + (1 - rho) * g².
      const v1 = tf.add(tf.mul(nu, rho), tf.mul(tf.square(g), 1 - rho));
      if (!centered) return {update: tf.div(g, tf.sqrt(tf.add(v1, epsilon))), slots: {nu: v1, mu: v1}};
      const m1 = tf.add(tf.mul(mu, rho), tf.mul(g, 1 - rho));
      return {update: tf.div(g, tf.sqrt(tf.add(tf.sub(v1, tf.square(m1)), epsilon))), slots: {nu: v1, mu: m1}};
    },
  }) as GradientTransform<ScaleByRmsState>;
}
