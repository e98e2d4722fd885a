/**
 * `sgd({...})`: Keras 3's `SGD` optimizer.
 * @module
 */
import {optionKeys} from '@trellis/core';
import type {GradientTransform, Optimizer, Schedule, StateTree} from '@trellis/core';
import {chain} from './chain';
import {checkBoolean, checkNumber} from './checks';
import type {LearningRateJson} from './learning-rate';
import {namedOptimizer, type CommonOptimizerOptions, type CommonTrainingConfig} from './named-optimizer';
import {scaleByLearningRate} from './scale-by-learning-rate';
import {scaleByMomentum} from './scale-by-momentum';

/** Options of {@link sgd}; names and defaults follow Keras' `SGD`, in camelCase. */
export type SgdOptions = CommonOptimizerOptions & {
  /** A number > 0 or a schedule of the step (default 0.01; Keras `learning_rate`). */
  readonly learningRate?: number | Schedule;
  /** Velocity decay in [0, 1); 0 is plain gradient descent (default 0). */
  readonly momentum?: number;
  /** Use Nesterov momentum (default false; ignored when momentum is 0, as in Keras). */
  readonly nesterov?: boolean;
};

/** The names of {@link sgd}'s own options (besides the common ones). */
const OWN_KEYS = optionKeys<Omit<SgdOptions, keyof CommonOptimizerOptions>>({momentum: true, nesterov: true});

/** The JSON config in an {@link sgd} spec: every option, defaults filled in. */
export type SgdConfig = CommonTrainingConfig & {
  /** A number, or the schedule's `{id, config}`. */
  readonly learningRate: LearningRateJson;
  readonly momentum: number;
  readonly nesterov: boolean;
};

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
export function sgd(options: SgdOptions = {}): Optimizer<SgdConfig, readonly StateTree[]> {
  return namedOptimizer({
    id: 'trellis/sgd',
    who: 'sgd',
    options,
    ownKeys: OWN_KEYS,
    defaultLearningRate: 0.01,
    config: () => ({
      momentum: checkNumber('sgd', 'momentum', options.momentum ?? 0, {min: 0, max: 1}),
      nesterov: checkBoolean('sgd', 'nesterov', options.nesterov ?? false),
    }),
    build: (learningRate, {momentum, nesterov}) => {
      const parts: GradientTransform[] = [scaleByLearningRate(learningRate)];
      if (momentum > 0) parts.push(scaleByMomentum({decay: momentum, nesterov}));
      return chain(...parts);
    },
  }) as Optimizer<SgdConfig, readonly StateTree[]>;
}
