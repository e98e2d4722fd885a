/**
 * `adamax({...})`: Keras 3's `Adamax` optimizer.
 * @module
 */
import {MOMENT_OPTIONS} from './moment-options';
import {beforeLearningRate, kerasOptimizer, type KerasOptimizerConfig} from './keras-optimizer';
import type {DeclaredOptions} from './define-optimizer';
import {scaleByAdamax} from './scale-by-adamax';

/**
 * Options of {@link adamax}; names and defaults follow Keras' `Adamax`, in camelCase.
 * `learningRate` defaults to 0.001; Keras' common options are accepted too.
 * `beta2` is the decay of the infinity norm, and `epsilon` (> 0) is added to it.
 */
export type AdamaxOptions = DeclaredOptions<typeof MOMENT_OPTIONS>;

/** The JSON config in an {@link adamax} spec: every option, defaults filled in
 * (`learningRate` is a number or the schedule's `{id, config}`).
 */
export type AdamaxConfig = KerasOptimizerConfig<typeof MOMENT_OPTIONS>;

/**
 * Adamax (Kingma & Ba, 2014, Section 7.1), Adam with the infinity norm,
 * exactly as Keras 3's `keras.optimizers.Adamax` updates a variable `w` with
 * gradient `g`, learning rate `lr` and `t = step + 1`:
 *
 * ```
 * m = m + (g - m) * (1 - beta1)
 * u = maximum(beta2 * u, |g|)
 * w = w - lr * m / ((1 - beta1^t) * (u + epsilon))
 * ```
 *
 * It is `chain(scaleByAdamax({beta1, beta2, epsilon}), scaleByLearningRate(lr))`.
 * tfjs-core's `tf.train.adamax` has the same update when its `decay` is 0 and
 * its epsilon equals this one, but defaults to `learningRate = 0.002` and to
 * the backend's epsilon (1e-7 for float32, 1e-4 on a float16 WebGL
 * backend); its `decay` divides the rate by `1 + decay * step` (here: a
 * schedule). See the package README.
 *
 * State: `[{count, mu: {'dense/kernel': m, ...}, nu: {...}}, {count}]`, keyed
 * by variable name (`mu`/`nu` are Keras' `momentum`/`norm` slots).
 * Spec: `{id: 'trellis/adamax', config: {learningRate, beta1, beta2, epsilon}}`.
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
 * model.compile({optimizer: adamax({learningRate: 2e-3}), loss: 'sparseCategoricalCrossentropy'});
 * @throws ConfigError for unknown options, learningRate <= 0, a beta outside [0, 1),
 *   epsilon <= 0, or a learning-rate function without a spec.
 */
export const adamax = kerasOptimizer('adamax', 0.001, MOMENT_OPTIONS, beforeLearningRate(scaleByAdamax));
