/**
 * `adagrad({...})`: Keras 3's `Adagrad` optimizer.
 * @module
 */
import {beforeLearningRate, kerasOptimizer, type KerasOptimizerConfig} from './keras-optimizer';
import type {DeclaredOptions} from './define-optimizer';
import {scaleByAdagrad} from './scale-by-adagrad';

/** Adagrad's own options: Keras' defaults and the valid ranges. */
const OPTIONS = {
  /** >= 0, the starting value of the accumulators (default 0.1; Keras `initial_accumulator_value`). */
  initialAccumulatorValue: {default: 0.1, min: 0},
  /** > 0, added to the accumulator inside the square root (default 1e-7; Keras `epsilon`). */
  epsilon: {default: 1e-7, min: 0, minExclusive: true},
} as const;

/**
 * Options of {@link adagrad}; names and defaults follow Keras' `Adagrad`, in camelCase.
 * `learningRate` defaults to 0.001; Keras' common options are accepted too.
 */
export type AdagradOptions = DeclaredOptions<typeof OPTIONS>;

/**
 * The JSON config in an {@link adagrad} spec: every option, defaults filled in
 * (`learningRate` is a number or the schedule's `{id, config}`).
 */
export type AdagradConfig = KerasOptimizerConfig<typeof OPTIONS>;

/**
 * Adagrad (Duchi et al., 2011) exactly as Keras 3's `keras.optimizers.Adagrad`
 * updates a variable `w` with gradient `g` and the learning rate `lr` of the
 * current step:
 *
 * ```
 * accumulator = accumulator + g²              // starts at initialAccumulatorValue
 * w = w - lr * g / sqrt(accumulator + epsilon)
 * ```
 *
 * It is `chain(scaleByAdagrad({initialAccumulatorValue, epsilon}), scaleByLearningRate(lr))`.
 * tfjs-core's `tf.train.adagrad` computes the same, with epsilon fixed to the
 * backend's (1e-7 for float32); see the README.
 *
 * State: `[{sumOfSquares: {'dense/kernel': T, ...}}, {count}]`, keyed by
 * variable name (`sumOfSquares` is Keras' `accumulator`).
 * Spec: `{id: 'trellis/adagrad', config: {learningRate, initialAccumulatorValue, epsilon}}`.
 *
 * Ownership: `init`/`update` return new tensors owned by the caller and
 * dispose nothing; `StatefulOptimizer` (from @trellis/core) or `model.compile` manages them.
 *
 * @example
 * model.compile({optimizer: adagrad({learningRate: 0.01}), loss: 'mse'});
 * @throws ConfigError for unknown options, learningRate <= 0, a negative
 *   initialAccumulatorValue, epsilon <= 0, or a learning-rate function without a spec.
 */
export const adagrad = kerasOptimizer('adagrad', 0.001, OPTIONS, beforeLearningRate(scaleByAdagrad));
