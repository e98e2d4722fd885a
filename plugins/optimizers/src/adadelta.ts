/**
 * `adadelta({...})`: Keras 3's `Adadelta` optimizer.
 * @module
 */
import {beforeLearningRate, kerasOptimizer, type KerasOptimizerConfig} from './keras-optimizer';
import type {DeclaredOptions} from './define-optimizer';
import {scaleByAdadelta} from './scale-by-adadelta';

/** Adadelta's own options: Keras' defaults and the valid ranges. */
const OPTIONS = {
  /** Decay of both moving averages, in [0, 1) (default 0.95; Keras `rho`). */
  rho: {default: 0.95, min: 0, max: 1},
  /** > 0, added inside both square roots (default 1e-7; Keras `epsilon`). */
  epsilon: {default: 1e-7, min: 0, minExclusive: true},
} as const;

/**
 * Options of {@link adadelta}; names and defaults follow Keras' `Adadelta`, in camelCase.
 * `learningRate` defaults to 0.001; 1 is the paper's form; Keras' common options are accepted too.
 */
export type AdadeltaOptions = DeclaredOptions<typeof OPTIONS>;

/**
 * The JSON config in an {@link adadelta} spec: every option, defaults filled in
 * (`learningRate` is a number or the schedule's `{id, config}`).
 */
export type AdadeltaConfig = KerasOptimizerConfig<typeof OPTIONS>;

/**
 * Adadelta (Zeiler, 2012) exactly as Keras 3's `keras.optimizers.Adadelta`
 * updates a variable `w` with gradient `g` and the learning rate `lr` of the
 * current step:
 *
 * ```
 * accumulated_grad      = rho * accumulated_grad + (1 - rho) * g²
 * delta                 = -sqrt(accumulated_delta_var + epsilon) * g / sqrt(accumulated_grad + epsilon)
 * accumulated_delta_var = rho * accumulated_delta_var + (1 - rho) * delta²
 * w = w + lr * delta
 * ```
 *
 * It is `chain(scaleByAdadelta({rho, epsilon}), scaleByLearningRate(lr))`:
 * Keras accumulates the step without the learning rate and multiplies by it
 * only when updating `w`. tfjs-core's `tf.train.adadelta` differs: it divides
 * by the accumulated gradient of the *previous* step; see the README.
 *
 * State: `[{nu, deltaNu}, {count}]`, keyed by variable name (`nu`, `deltaNu`
 * are Keras' `accumulated_grad`, `accumulated_delta_var`).
 * Spec: `{id: 'trellis/adadelta', config: {learningRate, rho, epsilon}}`.
 *
 * Ownership: `init`/`update` return new tensors owned by the caller and
 * dispose nothing; `StatefulOptimizer` (from @trellis/core) or `model.compile` manages them.
 *
 * @example
 * model.compile({optimizer: adadelta({learningRate: 1}), loss: 'mse'});
 * @throws ConfigError for unknown options, learningRate <= 0, rho outside
 *   [0, 1), epsilon <= 0, or a learning-rate function without a spec.
 */
export const adadelta = kerasOptimizer('adadelta', 0.001, OPTIONS, beforeLearningRate(scaleByAdadelta));
