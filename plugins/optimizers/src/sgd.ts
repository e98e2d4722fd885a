/**
 * `sgd({...})`: Keras 3's `SGD` optimizer.
 * @module
 */
import {chain} from './chain';
import {kerasOptimizer, type KerasOptimizerConfig} from './keras-optimizer';
import type {DeclaredOptions} from './define-optimizer';
import {scaleByLearningRate} from './scale-by-learning-rate';
import {scaleByMomentum} from './scale-by-momentum';

/** SGD's own options: Keras' defaults and the valid ranges. */
const OPTIONS = {
  /** Velocity decay in [0, 1); 0 is plain gradient descent (default 0). */
  momentum: {default: 0, min: 0, max: 1},
  /** Use Nesterov momentum (default false; ignored when momentum is 0, as in Keras). */
  nesterov: {default: false},
} as const;

/**
 * Options of {@link sgd}; names and defaults follow Keras' `SGD`, in camelCase.
 * `learningRate` defaults to 0.01; Keras' common options are accepted too.
 */
export type SgdOptions = DeclaredOptions<typeof OPTIONS>;

/** The JSON config in an {@link sgd} spec: every option, defaults filled in
 * (`learningRate` is a number or the schedule's `{id, config}`).
 */
export type SgdConfig = KerasOptimizerConfig<typeof OPTIONS>;

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, exactly as
 * Keras 3's `keras.optimizers.SGD` updates a variable `w` with gradient `g`
 * and the learning rate `lr` of the current step:
 *
 * ```
 * momentum = 0:  w = w - lr * g
 * otherwise:     v = momentum * v - lr * g
 *                w = w + v                          (nesterov: w = w + momentum * v - lr * g)
 * ```
 *
 * It is `chain(scaleByLearningRate(lr), scaleByMomentum({decay: momentum, nesterov}))`
 * (the second transform only when momentum > 0). The rate is applied before
 * the trace, so the velocity holds rate-scaled gradients as in Keras, and a
 * schedule changes only the newest term; optax' `sgd` (trace, then scale)
 * would rescale the whole velocity.
 *
 * State: `[{count}]`, or `[{count}, {trace: {'dense/kernel': v, ...}}]` with
 * momentum (Keras' `momentum` slots, keyed by variable name).
 * Spec: `{id: 'trellis/sgd', config: {learningRate, momentum, nesterov}}`.
 *
 * Ownership: `init`/`update` return new tensors owned by the caller and
 * dispose nothing; `StatefulOptimizer` (from @trellis/core) or `model.compile` manages them.
 *
 * @example
 * model.compile({optimizer: sgd({learningRate: 0.1, momentum: 0.9, nesterov: true}), loss: 'mse'});
 * @throws ConfigError for unknown options, learningRate <= 0, momentum outside [0, 1),
 *   a non-boolean nesterov, or a learning-rate function without a spec.
 */
export const sgd = kerasOptimizer('sgd', 0.01, OPTIONS, ({momentum, nesterov}, learningRate) =>
  chain(scaleByLearningRate(learningRate), ...(momentum > 0 ? [scaleByMomentum({decay: momentum, nesterov})] : [])),
);
