/**
 * `nadam({...})`: Keras 3's `Nadam` optimizer.
 * @module
 */
import {MOMENT_OPTIONS} from './moment-options';
import {beforeLearningRate, kerasOptimizer, type KerasOptimizerConfig} from './keras-optimizer';
import type {DeclaredOptions} from './define-optimizer';
import {scaleByNadam} from './scale-by-nadam';

/**
 * Options of {@link nadam}; names and defaults follow Keras' `Nadam`, in camelCase.
 * `learningRate` defaults to 0.001; Keras' common options are accepted too.
 * `epsilon` (> 0) is added to the bias-corrected `sqrt(v̂)`.
 */
export type NadamOptions = DeclaredOptions<typeof MOMENT_OPTIONS>;

/** The JSON config in a {@link nadam} spec: every option, defaults filled in
 * (`learningRate` is a number or the schedule's `{id, config}`).
 */
export type NadamConfig = KerasOptimizerConfig<typeof MOMENT_OPTIONS>;

/**
 * Nadam (Dozat, 2016: Adam with Nesterov momentum and a momentum schedule)
 * exactly as Keras 3's `keras.optimizers.Nadam` updates a variable `w` with
 * gradient `g`, learning rate `lr` and `t = step + 1`, where
 * `u_t = beta1 * (1 - 0.5 * 0.96^t)` and `U_t = u_1 · … · u_t`:
 *
 * ```
 * m  = m + (g - m) * (1 - beta1)
 * v  = v + (g² - v) * (1 - beta2)
 * m̂  = u_{t+1} * m / (1 - U_t * u_{t+1}) + (1 - u_t) * g / (1 - U_t)
 * v̂  = v / (1 - beta2^t)
 * w  = w - m̂ * lr / (sqrt(v̂) + epsilon)
 * ```
 *
 * It is `chain(scaleByNadam({beta1, beta2, epsilon}), scaleByLearningRate(lr))`.
 * Unlike Keras' `Adam`, epsilon is added after the bias correction of `v`.
 *
 * State: `[{count, uProduct, mu: {'dense/kernel': m, ...}, nu: {...}}, {count}]`,
 * slots keyed by variable name (`mu`/`nu` are Keras' `momentum`/`velocity`,
 * `uProduct` its `u_product`, a host number).
 * Spec: `{id: 'trellis/nadam', config: {learningRate, beta1, beta2, epsilon}}`.
 *
 * The common options of Keras' base optimizer (`weightDecay`, `clipNorm`,
 * `clipValue`, `globalClipNorm`, `gradientAccumulationSteps`, `useEma`, ...)
 * are accepted and applied in Keras' order (see the package README); those
 * set go into the spec and wrap the state.
 *
 * Ownership: `init`/`update` return new tensors owned by the caller and
 * dispose nothing; `StatefulOptimizer` (from @trellis/core) or `model.compile` manages them.
 *
 * @example
 * model.compile({optimizer: nadam({learningRate: 1e-3}), loss: 'sparseCategoricalCrossentropy'});
 * @throws ConfigError for unknown options, learningRate <= 0, a beta outside [0, 1),
 *   epsilon <= 0, or a learning-rate function without a spec.
 */
export const nadam = kerasOptimizer('nadam', 0.001, MOMENT_OPTIONS, beforeLearningRate(scaleByNadam));
