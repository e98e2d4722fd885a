/**
 * `lamb({...})`: Keras 3's `Lamb` optimizer.
 * @module
 */
import {chain} from './chain';
import {MOMENT_OPTIONS} from './moment-options';
import {kerasOptimizer, type KerasOptimizerConfig} from './keras-optimizer';
import type {DeclaredOptions} from './define-optimizer';
import {scaleByAdam} from './scale-by-adam';
import {scaleByLearningRate} from './scale-by-learning-rate';
import {scaleByTrustRatio} from './scale-by-trust-ratio';

/**
 * Options of {@link lamb}; names and defaults follow Keras' `Lamb`, in camelCase.
 * `learningRate` defaults to 0.001; Keras' common options are accepted too.
 * `epsilon` (> 0) is added to the bias-corrected `sqrt(v̂)`.
 */
export type LambOptions = DeclaredOptions<typeof MOMENT_OPTIONS>;

/** The JSON config in a {@link lamb} spec: every option, defaults filled in
 * (`learningRate` is a number or the schedule's `{id, config}`).
 */
export type LambConfig = KerasOptimizerConfig<typeof MOMENT_OPTIONS>;

/**
 * LAMB (You et al., 2019: Adam with a layer-wise trust ratio) exactly as
 * Keras 3's `keras.optimizers.Lamb` updates a variable `w` with gradient
 * `g`, learning rate `lr` and `t = step + 1`:
 *
 * ```
 * m = m + (g - m) * (1 - beta1)
 * v = v + (g² - v) * (1 - beta2)
 * u = (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
 * ratio = ||w|| / ||u||   if ||w|| > 0 and ||u|| > 0, else 1       (norms over the whole variable)
 * w = w - ratio * lr * u
 * ```
 *
 * It is `chain(scaleByAdam({beta1, beta2, epsilon, epsilonAfterCorrection: true}),
 * scaleByTrustRatio(), scaleByLearningRate(lr))`. As in Keras, the trust
 * ratio uses `u` alone: the paper's weight-decay term is not part of `u`
 * (Keras applies weight decay separately, before the update).
 *
 * State: `[{count, mu: {'dense/kernel': m, ...}, nu: {...}}, {}, {count}]`,
 * keyed by variable name (Keras' `momentum`/`velocity` slots).
 * Spec: `{id: 'trellis/lamb', config: {learningRate, beta1, beta2, epsilon}}`.
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
 * model.compile({optimizer: lamb({learningRate: 1e-3}), loss: 'sparseCategoricalCrossentropy'});
 * @throws ConfigError for unknown options, learningRate <= 0, a beta outside [0, 1),
 *   epsilon <= 0, or a learning-rate function without a spec; from `update`,
 *   a ConfigError when the parameters are not passed.
 */
export const lamb = kerasOptimizer('lamb', 0.001, MOMENT_OPTIONS, (config, learningRate) =>
  chain(scaleByAdam({...config, epsilonAfterCorrection: true}), scaleByTrustRatio(), scaleByLearningRate(learningRate)),
);
