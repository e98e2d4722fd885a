/**
 * `adamw({...})`: Keras 3's `AdamW` optimizer.
 * @module
 */
import {ConfigError} from '@trellis/core';
import {ADAM_OPTIONS, adamRule} from './adam-rule';
import {kerasOptimizer, type OptimizerFactory} from './keras-optimizer';
import type {AdamConfig, AdamOptions} from './adam';

/** Options of {@link adamw}: those of {@link adam} (names and defaults of Keras' `AdamW`, in camelCase) and the weight decay. */
export type AdamwOptions = AdamOptions & {
  /** Decoupled weight decay, >= 0 (default 0.004; Keras `weight_decay`). */
  readonly weightDecay?: number;
};

/** The JSON config in an {@link adamw} spec: every option, defaults filled in (`weightDecay` always). */
export type AdamwConfig = AdamConfig & {
  readonly weightDecay: number;
};

/**
 * AdamW (Loshchilov & Hutter, 2019: Adam with decoupled weight decay)
 * exactly as Keras 3's `keras.optimizers.AdamW` updates a variable `w` with
 * gradient `g`, learning rate `lr` and `t = step + 1`. Keras' `AdamW` is its
 * `Adam` whose base-optimizer `weight_decay` defaults to 0.004:
 *
 * ```
 * w = w - w * weightDecay * lr                      (before the Adam step)
 * m = m + (g - m) * (1 - beta1)
 * v = v + (g² - v) * (1 - beta2)                    (amsgrad: v_hat = maximum(v_hat, v), used below)
 * w = w - lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon)
 * ```
 *
 * It is {@link adam} with the common option `weightDecay` defaulting to
 * 0.004: `decoupledWeightDecay(chain(scaleByAdam({beta1, beta2, epsilon,
 * amsgrad}), scaleByLearningRate(lr)), {weightDecay, learningRate: lr})`,
 * the decay following a learning-rate schedule as in Keras. The other
 * common options (`clipNorm`, `clipValue`, `globalClipNorm`,
 * `gradientAccumulationSteps`, `useEma`, ...) are accepted and applied in
 * Keras' order (see the package README).
 *
 * State: `[{count, inner: [{count, mu, nu}, {count}]}]` with slots keyed by
 * variable name (`nuMax` too with `amsgrad`); with `weightDecay: 0` it is
 * Adam's state. Spec: `{id: 'trellis/adamw', config: {learningRate, beta1,
 * beta2, epsilon, amsgrad, weightDecay, ...commonOptionsThatWereSet}}`.
 *
 * Ownership: `init`/`update` return new tensors owned by the caller and
 * dispose nothing; `StatefulOptimizer` (from @trellis/core) or `model.compile` manages them.
 *
 * @example
 * model.compile({optimizer: adamw({learningRate: 1e-3, weightDecay: 0.01}), loss: 'sparseCategoricalCrossentropy'});
 * @throws ConfigError for unknown options, learningRate <= 0, a negative or
 *   null weightDecay (Keras refuses `weight_decay=None`), a beta outside [0, 1), epsilon <= 0, a non-boolean amsgrad,
 *   or a learning-rate function without a spec.
 */
export const adamw = kerasOptimizer('adamw', 0.001, ADAM_OPTIONS, adamRule, {
  weightDecay: 0.004,
  // Keras' AdamW refuses weight_decay=None; here a null would silently mean the default.
  check: (options) => {
    if (options.weightDecay === null) {
      throw new ConfigError('adamw: weightDecay must be a finite number >= 0 (default 0.004); got null. Use adam() for no weight decay.');
    }
  },
}) as OptimizerFactory<AdamwOptions, AdamwConfig>;
