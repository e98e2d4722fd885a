/**
 * `adam({...})`: Keras 3's `Adam` optimizer.
 * @module
 */
import {ADAM_OPTIONS, adamRule} from './adam-rule';
import type {DeclaredOptions} from './define-optimizer';
import {kerasOptimizer, type KerasOptimizerConfig} from './keras-optimizer';

/**
 * Options of {@link adam}; names and defaults follow Keras' `Adam`, in camelCase.
 * `learningRate` defaults to 0.001; Keras' common options are accepted too.
 */
export type AdamOptions = DeclaredOptions<typeof ADAM_OPTIONS>;

/** The JSON config in an {@link adam} spec: every option, defaults filled in
 * (`learningRate` is a number or the schedule's `{id, config}`).
 */
export type AdamConfig = KerasOptimizerConfig<typeof ADAM_OPTIONS>;

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
export const adam = kerasOptimizer('adam', 0.001, ADAM_OPTIONS, adamRule);
