/**
 * `lion({...})`: Keras 3's `Lion` optimizer.
 * @module
 */
import type {Optimizer, Schedule, StateTree} from '@trellis/core';
import {chain} from './chain';
import {defineOptimizer} from './define-optimizer';
import type {CommonOptimizerOptions, NamedOptimizerConfig} from './named-optimizer';
import {scaleByLearningRate} from './scale-by-learning-rate';
import {scaleByLion} from './scale-by-lion';

/** Options of {@link lion}; names and defaults follow Keras' `Lion`, in camelCase. */
export type LionOptions = CommonOptimizerOptions & {
  /** A number > 0 or a schedule of the step (default 0.001; Keras `learning_rate`). */
  readonly learningRate?: number | Schedule;
  /** Momentum weight in the sign, in (0, 1] as Keras requires (default 0.9; Keras `beta_1`). */
  readonly beta1?: number;
  /** Momentum decay in [0, 1) (default 0.99; Keras `beta_2`). */
  readonly beta2?: number;
};

/** The JSON config in a {@link lion} spec: every option, defaults filled in
 * (`learningRate` is a number or the schedule's `{id, config}`).
 */
export type LionConfig = NamedOptimizerConfig<{
  readonly beta1: number;
  readonly beta2: number;
}>;

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
export const lion = defineOptimizer({
  id: 'trellis/lion',
  name: 'lion',
  learningRate: 0.001,
  options: {
    beta1: {default: 0.9, min: 0, minExclusive: true, max: 1, maxInclusive: true},
    beta2: {default: 0.99, min: 0, max: 1},
  },
  build: ({beta1, beta2}, learningRate) => chain(scaleByLion({beta1, beta2}), scaleByLearningRate(learningRate)),
}) as (options?: LionOptions) => Optimizer<LionConfig, readonly StateTree[]>;
