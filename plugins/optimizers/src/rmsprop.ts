/**
 * `rmsprop({...})`: Keras 3's `RMSprop` optimizer.
 * @module
 */
import {chain} from './chain';
import {kerasOptimizer, type KerasOptimizerConfig} from './keras-optimizer';
import type {DeclaredOptions} from './define-optimizer';
import {scaleByLearningRate} from './scale-by-learning-rate';
import {scaleByMomentum} from './scale-by-momentum';
import {scaleByRms} from './scale-by-rms';

/** RMSprop's own options: Keras' defaults and the valid ranges. */
const OPTIONS = {
  /** Decay of the moving averages, in [0, 1) (default 0.9; Keras `rho`). */
  rho: {default: 0.9, min: 0, max: 1},
  /** Decay of the velocity, in [0, 1); 0 means no momentum (default 0; Keras `momentum`). */
  momentum: {default: 0, min: 0, max: 1},
  /** > 0, added to the mean square inside the square root (default 1e-7; Keras `epsilon`). */
  epsilon: {default: 1e-7, min: 0, minExclusive: true},
  /** Divide by the estimated standard deviation of the gradient (default false; Keras `centered`). */
  centered: {default: false},
} as const;

/**
 * Options of {@link rmsprop}; names and defaults follow Keras' `RMSprop`, in camelCase.
 * `learningRate` defaults to 0.001; Keras' common options are accepted too.
 */
export type RmspropOptions = DeclaredOptions<typeof OPTIONS>;

/**
 * The JSON config in an {@link rmsprop} spec: every option, defaults filled in
 * (`learningRate` is a number or the schedule's `{id, config}`).
 */
export type RmspropConfig = KerasOptimizerConfig<typeof OPTIONS>;

/**
 * RMSprop (Hinton, 2012) exactly as Keras 3's `keras.optimizers.RMSprop`
 * updates a variable `w` with gradient `g` and the learning rate `lr` of the
 * current step:
 *
 * ```
 * v = rho * v + (1 - rho) * g²
 * centered:  a = rho * a + (1 - rho) * g
 *            increment = lr * g / sqrt(v - a² + epsilon)
 * otherwise: increment = lr * g / sqrt(v + epsilon)
 * momentum = 0: w = w - increment
 * otherwise:    m = momentum * m + increment
 *               w = w - m
 * ```
 *
 * It is `chain(scaleByRms({rho, epsilon, centered}), scaleByLearningRate(lr),
 * scaleByMomentum({decay: momentum}))` (the last only when momentum > 0).
 * Keras' momentum accumulates the rate-scaled increment, so the trace comes
 * after the learning rate (as in {@link sgd}) and a schedule changes only the
 * newest term. tfjs-core's `tf.train.rmsprop` agrees, except that when
 * centered it *subtracts* epsilon (`sqrt(v - a² - epsilon)`); see the README.
 *
 * State: `[{nu}, {count}]` (centered: `[{nu, mu}, {count}]`), plus `{trace}`
 * with momentum; slots keyed by variable name (`nu`, `mu`, `trace` are
 * Keras' `velocity`, `average_gradient`, `momentum`).
 * Spec: `{id: 'trellis/rmsprop', config: {learningRate, rho, momentum, epsilon, centered}}`.
 *
 * Ownership: `init`/`update` return new tensors owned by the caller and
 * dispose nothing; `StatefulOptimizer` (from @trellis/core) or `model.compile` manages them.
 *
 * @example
 * model.compile({optimizer: rmsprop({learningRate: 1e-3, momentum: 0.9}), loss: 'mse'});
 * @throws ConfigError for unknown options, learningRate <= 0, rho or momentum
 *   outside [0, 1), epsilon <= 0, a non-boolean centered, or a learning-rate
 *   function without a spec.
 */
export const rmsprop = kerasOptimizer('rmsprop', 0.001, OPTIONS, ({rho, momentum, epsilon, centered}, learningRate) =>
  chain(
    scaleByRms({rho, epsilon, centered}),
    scaleByLearningRate(learningRate),
    ...(momentum > 0 ? [scaleByMomentum({decay: momentum})] : []),
  ),
);
