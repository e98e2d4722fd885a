/**
 * `scaleByLion({beta1, beta2})`: the sign update of Lion, as Keras 3 computes it.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform, NamedTensors} from '@trellis/core';
import {checkTransformOptions, type DeclaredTransformOptions} from './declared-options';
import {slotTransform} from './slot-transform';

/** The options of {@link scaleByLion}: Keras' defaults and the valid ranges. */
const OPTIONS = {
  /**
   * Weight of the momentum in the interpolation whose sign is taken, in
   * (0, 1] as Keras requires (0 would be sign SGD) (default 0.9; Keras `beta_1`).
   */
  beta1: {default: 0.9, min: 0, minExclusive: true, max: 1, maxInclusive: true},
  /** Decay of the momentum, in [0, 1) (default 0.99; Keras `beta_2`). */
  beta2: {default: 0.99, min: 0, max: 1},
} as const;

/** Options of {@link scaleByLion}; defaults are Keras'. */
export type ScaleByLionOptions = DeclaredTransformOptions<typeof OPTIONS>;

/** State of {@link scaleByLion}: one momentum slot per variable, keyed by name. */
export type ScaleByLionState = {
  /** `mu['dense/kernel']` has the variable's shape (Keras `momentum`). */
  readonly mu: NamedTensors;
};

/**
 * `sign(x)` from comparisons: -1, 0 or 1, and NaN for NaN. tfjs' wasm `Sign`
 * kernel returns 0 for |x| below about 1.2e-7, which would freeze elements
 * whose interpolated momentum is tiny; the cpu kernel and Keras do not.
 */
function exactSign(x: tf.Tensor): tf.Tensor {
  const sign = tf.sub(tf.cast(tf.greater(x, 0), 'float32'), tf.cast(tf.less(x, 0), 'float32'));
  return tf.where(tf.isNaN(x), x, sign);
}

/**
 * Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms")
 * as Keras 3's `Lion.update_step` computes it (optax `scale_by_lion`):
 *
 * ```
 * out = sign(mu * beta1 + g * (1 - beta1))
 * mu  = mu * beta2 + g * (1 - beta2)
 * ```
 *
 * Chain it with {@link scaleByLearningRate} to get Keras'
 * `variable -= lr * sign(m * beta_1 + g * (1 - beta_1))`. Every element of
 * the output is -1, 0 or 1, so the step size is the learning rate whatever
 * the gradient's scale. `1 - beta` is taken in float32 like Keras.
 * Slots are float32 zeros shaped like each parameter; a variable without a
 * gradient in a step keeps its slot. There is no step counter.
 *
 * Ownership: `init` and `update` return new tensors owned by the caller;
 * neither disposes its inputs.
 *
 * @throws ConfigError when beta1 is not in (0, 1] or beta2 is not in [0, 1).
 */
export function scaleByLion(options: ScaleByLionOptions = {}): GradientTransform<ScaleByLionState> {
  const who = 'scaleByLion';
  const {beta1, beta2} = checkTransformOptions(who, options, OPTIONS);
  // Keras casts the betas to float32 tensors, so `1 - beta` is a float32 subtraction.
  const oneMinusBeta1 = Math.fround(1 - Math.fround(beta1));
  const oneMinusBeta2 = Math.fround(1 - Math.fround(beta2));
  return slotTransform({
    who,
    slots: ['mu'],
    update: (g, {mu}) => ({
      update: exactSign(tf.add(tf.mul(mu, beta1), tf.mul(g, oneMinusBeta1))),
      slots: {mu: tf.add(tf.mul(mu, beta2), tf.mul(g, oneMinusBeta2))},
    }),
  });
}
