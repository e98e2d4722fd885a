/**
 * `adam({...})`: Keras 3's `Adam` optimizer.
 * @module
 */
import {withSpec, type Optimizer, type Schedule, type StateTree} from '@trellis/core';
import {chain} from './chain';
import {checkNumber, checkOptions} from './checks';
import {checkLearningRate, learningRateToJson, type LearningRateJson} from './learning-rate';
import {scaleByAdam} from './scale-by-adam';
import {scaleByLearningRate} from './scale-by-learning-rate';

/** Options of {@link adam}; names and defaults follow Keras' `Adam`, in camelCase. */
export type AdamOptions = {
  /** A number > 0 or a schedule of the step (default 0.001; Keras `learning_rate`). */
  readonly learningRate?: number | Schedule;
  /** First-moment decay in [0, 1) (default 0.9; Keras `beta_1`). */
  readonly beta1?: number;
  /** Second-moment decay in [0, 1) (default 0.999; Keras `beta_2`). */
  readonly beta2?: number;
  /** >= 0, added to `sqrt(v)` before bias correction (default 1e-7; Keras `epsilon`). */
  readonly epsilon?: number;
};

/** The JSON config in an {@link adam} spec: every option, defaults filled in. */
export type AdamConfig = {
  /** A number, or the schedule's `{id, config}`. */
  readonly learningRate: LearningRateJson;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
};

/**
 * Adam (Kingma & Ba, 2014) exactly as Keras 3's `keras.optimizers.Adam`
 * updates a variable `w` with gradient `g`, learning rate `lr` and
 * `t = step + 1`:
 *
 * ```
 * m = m + (g - m) * (1 - beta1)
 * v = v + (g² - v) * (1 - beta2)
 * w = w - lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon)
 * ```
 *
 * It is `chain(scaleByAdam({beta1, beta2, epsilon}), scaleByLearningRate(lr))`.
 * Epsilon sits outside the bias correction of `v`, unlike tfjs-core's
 * `tf.train.adam` (`m̂ / (sqrt(v̂) + epsilon)`): in those terms Keras' epsilon is
 * `epsilon / sqrt(1 - beta2^t)`, so steps differ by about
 * `(epsilon / sqrt(v̂)) * (1 / sqrt(1 - beta2^t) - 1)` relative: 3e-6 for
 * |g| = 1 at the first step with the defaults, a quarter for |g| = 1e-5,
 * fading as t grows. See {@link scaleByAdam} and the package README.
 * AMSGrad, weight decay, clipping and EMA of Keras are not included.
 *
 * State: `[{count, mu: {'dense/kernel': m, ...}, nu: {...}}, {count}]`, keyed
 * by variable name. Spec: `{id: 'trellis/adam', config: {learningRate, beta1, beta2, epsilon}}`.
 *
 * Ownership: `init`/`update` return new tensors owned by the caller and
 * dispose nothing; `StatefulOptimizer` (from @trellis/core) or `model.compile` manages them.
 *
 * @example
 * model.compile({optimizer: adam({learningRate: 1e-3}), loss: 'sparseCategoricalCrossentropy'});
 * @throws ConfigError for unknown options, learningRate <= 0, a beta outside [0, 1),
 *   a negative epsilon, or a learning-rate function without a spec.
 */
export function adam(options: AdamOptions = {}): Optimizer<AdamConfig, readonly StateTree[]> {
  checkOptions('adam', options, ['learningRate', 'beta1', 'beta2', 'epsilon']);
  const learningRate = checkLearningRate('adam', options.learningRate ?? 0.001, true);
  const beta1 = checkNumber('adam', 'beta1', options.beta1 ?? 0.9, {min: 0, max: 1});
  const beta2 = checkNumber('adam', 'beta2', options.beta2 ?? 0.999, {min: 0, max: 1});
  const epsilon = checkNumber('adam', 'epsilon', options.epsilon ?? 1e-7, {min: 0});
  const config: AdamConfig = {learningRate: learningRateToJson(learningRate), beta1, beta2, epsilon};
  return withSpec({id: 'trellis/adam', config}, chain(scaleByAdam({beta1, beta2, epsilon}), scaleByLearningRate(learningRate)));
}
