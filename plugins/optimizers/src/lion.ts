/**
 * `lion({...})`: Keras 3's `Lion` optimizer.
 * @module
 */
import {beforeLearningRate, kerasOptimizer, type KerasOptimizerConfig} from './keras-optimizer';
import type {DeclaredOptions} from './define-optimizer';
import {scaleByLion} from './scale-by-lion';

/** Lion's own options: Keras' defaults and the valid ranges. */
const OPTIONS = {
  /** Momentum weight in the sign, in (0, 1] as Keras requires (default 0.9; Keras `beta_1`). */
  beta1: {default: 0.9, min: 0, minExclusive: true, max: 1, maxInclusive: true},
  /** Momentum decay in [0, 1) (default 0.99; Keras `beta_2`). */
  beta2: {default: 0.99, min: 0, max: 1},
} as const;

/**
 * Options of {@link lion}; names and defaults follow Keras' `Lion`, in camelCase.
 * `learningRate` defaults to 0.001; Keras' common options are accepted too.
 */
export type LionOptions = DeclaredOptions<typeof OPTIONS>;

/** The JSON config in a {@link lion} spec: every option, defaults filled in
 * (`learningRate` is a number or the schedule's `{id, config}`).
 */
export type LionConfig = KerasOptimizerConfig<typeof OPTIONS>;

/**
 * Lion (Chen et al., 2023) exactly as Keras 3's `keras.optimizers.Lion`
 * updates a variable `w` with gradient `g` and learning rate `lr`:
 *
 * ```
 * w = w - lr * sign(m * beta1 + g * (1 - beta1))
 * m = m * beta2 + g * (1 - beta2)
 * ```
 *
 * It is `chain(scaleByLion({beta1, beta2}), scaleByLearningRate(lr))`. Every
 * element moves by exactly `lr` (or not at all), so Lion usually wants a
 * rate 3-10× smaller than Adam's.
 *
 * State: `[{mu: {'dense/kernel': m, ...}}, {count}]`, keyed by variable name
 * (`mu` is Keras' `momentum`). Spec: `{id: 'trellis/lion', config: {learningRate, beta1, beta2}}`.
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
 * model.compile({optimizer: lion({learningRate: 3e-4}), loss: 'sparseCategoricalCrossentropy'});
 * @throws ConfigError for unknown options, learningRate <= 0, beta1 outside (0, 1],
 *   beta2 outside [0, 1), or a learning-rate function without a spec.
 */
export const lion = kerasOptimizer('lion', 0.001, OPTIONS, beforeLearningRate(scaleByLion));
