/**
 * The options and update rule {@link adam} and {@link adamw} share (internal).
 * @module
 */
import type {GradientTransform, Schedule} from '@trellis/core';
import {chain} from './chain';
import type {DeclaredConfig} from './define-optimizer';
import {scaleByAdam} from './scale-by-adam';
import {scaleByLearningRate} from './scale-by-learning-rate';

/** Adam's own options, defaults and ranges (Keras' `Adam` and `AdamW`). */
export const ADAM_OPTIONS = {
  beta1: {default: 0.9, min: 0, max: 1},
  beta2: {default: 0.999, min: 0, max: 1},
  epsilon: {default: 1e-7, min: 0, minExclusive: true},
  amsgrad: {default: false},
};

/** Adam's update rule: `chain(scaleByAdam({beta1, beta2, epsilon, amsgrad}), scaleByLearningRate(learningRate))`. */
export function adamRule(
  {beta1, beta2, epsilon, amsgrad}: DeclaredConfig<typeof ADAM_OPTIONS>,
  learningRate: number | Schedule,
): GradientTransform {
  return chain(scaleByAdam({beta1, beta2, epsilon, amsgrad}), scaleByLearningRate(learningRate));
}
