/**
 * `adam({...})`: Keras 3's `Adam` optimizer.
 * @module
 */
import type {Optimizer, Schedule, StateTree} from '@trellis/core';
import {ADAM_OPTIONS, adamRule} from './adam-rule';
import {defineOptimizer} from './define-optimizer';
import type {CommonOptimizerOptions, NamedOptimizerConfig} from './named-optimizer';

/** Options of {@link adam}; names and defaults follow Keras' `Adam`, in camelCase. */
export type AdamOptions = CommonOptimizerOptions & {
  /** A number > 0 or a schedule of the step (default 0.001; Keras `learning_rate`). */
  readonly learningRate?: number | Schedule;
  /** First-moment decay in [0, 1) (default 0.9; Keras `beta_1`). */
  readonly beta1?: number;
  /** Second-moment decay in [0, 1) (default 0.999; Keras `beta_2`). */
  readonly beta2?: number;
  /** > 0, added to `sqrt(v)` before bias correction (default 1e-7; Keras `epsilon`). */
  readonly epsilon?: number;
  /** AMSGrad: divide by the running maximum of `v` (default false; Keras `amsgrad`). */
  readonly amsgrad?: boolean;
};

/** The JSON config in an {@link adam} spec: every option, defaults filled in
 * (`learningRate` is a number or the schedule's `{id, config}`).
 */
export type AdamConfig = NamedOptimizerConfig<{
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
}>;

/**
 * Adam (Kingma & Ba, 2014) exactly as Keras 3's `keras.optimizers.Adam`
 * updates a variable `w` with gradient `g`, learning rate `lr` and
 * `t = step + 1`:
 *
 * ```
 * m = m + (g - m) * (1 - beta1)
 * v = v + (g² - v) * (1 - beta2)
 * w = w - lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon)
 * ```
 *
 * With `amsgrad` (Keras' AMSGrad variant, Reddi et al., 2018) the divisor
 * uses the running maximum instead of `v` (`v_hat = maximum(v_hat, v)`;
 * `w = w - lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v_hat) + epsilon)`).
 *
 * It is `chain(scaleByAdam({beta1, beta2, epsilon, amsgrad}), scaleByLearningRate(lr))`.
 * Epsilon sits outside the bias correction of `v`, unlike tfjs-core's
 * `tf.train.adam` (`m̂ / (sqrt(v̂) + epsilon)`): in those terms Keras' epsilon is
 * `epsilon / sqrt(1 - beta2^t)`, so steps differ by about
 * `(epsilon / sqrt(v̂)) * (1 / sqrt(1 - beta2^t) - 1)` relative: 3e-6 for
 * |g| = 1 at the first step with the defaults, a quarter for |g| = 1e-5,
 * fading as t grows. See {@link scaleByAdam} and the package README.
 *
 * State: `[{count, mu: {'dense/kernel': m, ...}, nu: {...}}, {count}]`, keyed
 * by variable name, plus `nuMax` (Keras `velocity_hat`) next to `nu` with
 * `amsgrad`. Spec: `{id: 'trellis/adam', config: {learningRate, beta1, beta2, epsilon, amsgrad}}`.
 *
 * Ownership: `init`/`update` return new tensors owned by the caller and
 * dispose nothing; `StatefulOptimizer` (from @trellis/core) or `model.compile` manages them.
 *
 * @example
 * model.compile({optimizer: adam({learningRate: 1e-3}), loss: 'sparseCategoricalCrossentropy'});
 * @throws ConfigError for unknown options, learningRate <= 0, a beta outside [0, 1),
 *   epsilon <= 0, a non-boolean amsgrad, or a learning-rate function without a spec.
 */
export const adam = defineOptimizer({
  id: 'trellis/adam',
  name: 'adam',
  learningRate: 0.001,
  options: ADAM_OPTIONS,
  build: adamRule,
}) as (options?: AdamOptions) => Optimizer<AdamConfig, readonly StateTree[]>;
