/**
 * `scaleByAdagrad({initialAccumulatorValue, epsilon})`: Adagrad's normalization, as Keras 3 computes it.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {GradientTransform, NamedTensors} from '@trellis/core';
import {checkTransformOptions, type DeclaredTransformOptions} from './declared-options';
import {slotTransform} from './slot-transform';

/** The options of {@link scaleByAdagrad}: Keras' defaults and the valid ranges. */
const OPTIONS = {
  /** >= 0, the starting value of every accumulator (default 0.1; Keras `initial_accumulator_value`). */
  initialAccumulatorValue: {default: 0.1, min: 0},
  /** > 0, added to the sum of squares *inside* the square root (default 1e-7; Keras `epsilon`). */
  epsilon: {default: 1e-7, min: 0, minExclusive: true},
} as const;

/** Options of {@link scaleByAdagrad}; defaults are Keras' `Adagrad`. */
export type ScaleByAdagradOptions = DeclaredTransformOptions<typeof OPTIONS>;

/** State of {@link scaleByAdagrad}: one accumulator per variable, keyed by name. */
export type ScaleByAdagradState = {
  /**
   * `initialAccumulatorValue` plus the sum of all squared gradients so far:
   * `sumOfSquares['dense/kernel']` has the variable's shape, float32 (Keras `accumulator`).
   */
  readonly sumOfSquares: NamedTensors;
};

/**
 * Divides gradients by the root of the running sum of their squares, with
 * Keras 3's `Adagrad` formula (optax `scale_by_rss`, epsilon inside the root):
 *
 * ```
 * sumOfSquares = sumOfSquares + g²            // starts at initialAccumulatorValue
 * out          = g / sqrt(sumOfSquares + epsilon)
 * ```
 *
 * Chain it with {@link scaleByLearningRate} to get Keras' update
 * `w -= lr * g / sqrt(accumulator + epsilon)`; that is {@link adagrad}.
 *
 * Slots are float32, filled with `initialAccumulatorValue` and shaped like
 * each parameter; a variable without a gradient in a step keeps its slot.
 * Shapes and dtypes of the updates follow the gradients. Ownership: `init`
 * and `update` return new tensors owned by the caller; neither disposes its
 * inputs.
 *
 * @throws ConfigError when `initialAccumulatorValue` is negative or `epsilon` is not > 0.
 */
export function scaleByAdagrad(options: ScaleByAdagradOptions = {}): GradientTransform<ScaleByAdagradState> {
  const who = 'scaleByAdagrad';
  const {initialAccumulatorValue: initial, epsilon} = checkTransformOptions(who, options, OPTIONS);
  return slotTransform({
    who,
    slots: {sumOfSquares: initial},
    update(g, {sumOfSquares}) {
      const next = tf.add(sumOfSquares, tf.square(g));
      return {update: tf.div(g, tf.sqrt(tf.add(next, epsilon))), slots: {sumOfSquares: next}};
    },
  });
}
