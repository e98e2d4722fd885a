/**
 * `scaleByAdadelta({rho, epsilon})`: Adadelta's step, as Keras 3 computes it.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform, NamedTensors} from '@trellis/core';
import {checkTransformOptions, type DeclaredTransformOptions} from './declared-options';
import {slotTransform} from './slot-transform';

/** The options of {@link scaleByAdadelta}: Keras' defaults and the valid ranges. */
const OPTIONS = {
  /** Decay of both moving averages, in [0, 1) (default 0.95; Keras `rho`). */
  rho: {default: 0.95, min: 0, max: 1},
  /** > 0, added inside both square roots (default 1e-7; Keras `epsilon`). */
  epsilon: {default: 1e-7, min: 0, minExclusive: true},
} as const;

/** Options of {@link scaleByAdadelta}; defaults are Keras' `Adadelta`. */
export type ScaleByAdadeltaOptions = DeclaredTransformOptions<typeof OPTIONS>;

/** State of {@link scaleByAdadelta}: two slots per variable, keyed by name. */
export type ScaleByAdadeltaState = {
  /** Moving averages of `g²`: `nu['dense/kernel']` has the variable's shape, float32 (Keras `accumulated_grad`). */
  readonly nu: NamedTensors;
  /** Moving averages of the squared output `out²`, same keys and shapes (Keras `accumulated_delta_var`). */
  readonly deltaNu: NamedTensors;
};

/**
 * Adadelta's step (Zeiler, 2012) with Keras 3's formula (optax
 * `scale_by_adadelta`), *before* the learning rate:
 *
 * ```
 * nu      = rho * nu + (1 - rho) * g²
 * out     = sqrt(deltaNu + epsilon) * g / sqrt(nu + epsilon)
 * deltaNu = rho * deltaNu + (1 - rho) * out²
 * ```
 *
 * Keras' `Adadelta` computes `delta = -out`, accumulates `delta²` (the step
 * *without* the learning rate) and only then adds `lr * delta` to the
 * variable. So the learning rate enters once, at the end, and
 * `chain(scaleByAdadelta({rho, epsilon}), scaleByLearningRate(lr))`
 * reproduces Keras' `w += lr * delta` exactly (also with a schedule); that
 * is {@link adadelta}. With `lr = 1` it is the paper's Algorithm 1.
 *
 * Slots are float32 zeros shaped like each parameter; a variable without a
 * gradient in a step keeps both slots. Shapes and dtypes of the updates
 * follow the gradients. Ownership: `init` and `update` return new tensors
 * owned by the caller; neither disposes its inputs.
 *
 * @throws ConfigError when `rho` is not in [0, 1) or `epsilon` is not > 0.
 */
export function scaleByAdadelta(options: ScaleByAdadeltaOptions = {}): GradientTransform<ScaleByAdadeltaState> {
  const who = 'scaleByAdadelta';
  const {rho, epsilon} = checkTransformOptions(who, options, OPTIONS);
  return slotTransform({
    who,
    slots: ['nu', 'deltaNu'],
    update(g, {nu, deltaNu}) {
      // Keras' order of operations, term by term.
      const v1 = tf.add(tf.mul(nu, rho), tf.mul(tf.square(g), 1 - rho));
      const out = tf.div(tf.mul(tf.sqrt(tf.add(deltaNu, epsilon)), g), tf.sqrt(tf.add(v1, epsilon)));
      return {update: out, slots: {nu: v1, deltaNu: tf.add(tf.mul(deltaNu, rho), tf.mul(tf.square(out), 1 - rho))}};
    },
  });
}
