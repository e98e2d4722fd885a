/**
 * The options and update rule {@link adam} and {@link adamw} share (internal).
 * @module
 */
import type {GradientTransform, Schedule} from '@trellis/core';
import {chain} from './chain';
import type {DeclaredConfig} from './define-optimizer';
import {MOMENT_OPTIONS} from './moment-options';
import {scaleByAdam} from './scale-by-adam';
import {scaleByLearningRate} from './scale-by-learning-rate';

/** Adam's own options, defaults and ranges (Keras' `Adam` and `AdamW`). */
export const ADAM_OPTIONS = {
  ...MOMENT_OPTIONS,
  /** > 0, added to `sqrt(v)` before bias correction (default 1e-7; Keras `epsilon`). */
  epsilon: MOMENT_OPTIONS.epsilon,
  /** AMSGrad: divide by the running maximum of `v` (default false; Keras `amsgrad`). */
  amsgrad: {default: false},
} as const;

/** Adam's update rule: `chain(scaleByAdam({beta1, beta2, epsilon, amsgrad}), scaleByLearningRate(learningRate))`. */
export function adamRule(
  {beta1, beta2, epsilon, amsgrad}: DeclaredConfig<typeof ADAM_OPTIONS>,
  learningRate: number | Schedule,
): GradientTransform {
  return chain(scaleByAdam({beta1, beta2, epsilon, amsgrad}), scaleByLearningRate(learningRate));
}
