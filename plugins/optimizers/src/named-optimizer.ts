/**
 * `namedOptimizer(...)`: how every Keras-named optimizer (`sgd`, `adam`, ...)
 * is assembled from its transforms, options and spec.
 * @module
 */
import {withSpec, type GradientTransform, type Json, type Optimizer, type Schedule} from '@trellis/core';
import {checkOptions} from './checks';
import {
  COMMON_TRAINING_KEYS,
  checkCommonOptions,
  withCommonOptions,
  type CommonTrainingConfig,
  type CommonTrainingOptions,
} from './common-options';
import {checkLearningRate, learningRateToJson, type LearningRateJson} from './learning-rate';

/**
 * The options every named optimizer takes, as Keras' base `Optimizer` does:
 * the learning rate and {@link CommonTrainingOptions} (weight decay,
 * clipping, gradient accumulation, EMA of the weights).
 */
export type CommonOptimizerOptions = CommonTrainingOptions & {
  /** A number > 0 or a schedule of the step (Keras `learning_rate`; the default depends on the optimizer). */
  readonly learningRate?: number | Schedule;
};

export type {CommonTrainingConfig, CommonTrainingOptions} from './common-options';

/** The names of {@link CommonOptimizerOptions}. */
export const COMMON_OPTION_KEYS: readonly string[] = ['learningRate', ...COMMON_TRAINING_KEYS];

/** What a named optimizer is made of. */
export type NamedOptimizerParts<C extends {readonly [key: string]: Json}> = {
  /** The spec id, e.g. `'trellis/adam'`. */
  readonly id: string;
  /** The factory's name, for error messages (`'adam'`). */
  readonly who: string;
  /** The options as the user passed them (common and specific ones). */
  readonly options: CommonOptimizerOptions & Readonly<Record<string, unknown>>;
  /** The names of the optimizer's own options (besides the common ones). */
  readonly ownKeys: readonly string[];
  /** Keras' default learning rate for this optimizer. */
  readonly defaultLearningRate: number;
  /**
   * Keras' default `weight_decay` for this optimizer, when it has one (AdamW:
   * 0.004); the `weightDecay` it results in is then always in the spec.
   * Default: none (no weight decay unless the option is set).
   */
  readonly defaultWeightDecay?: number;
  /**
   * Checks the optimizer's own options and returns them with defaults filled
   * in (they go into the spec). Called after the option names were checked.
   */
  readonly config: () => C;
  /**
   * The update rule for a checked learning rate and config: a transform whose
   * updates are added to the variables (already multiplied by `-learningRate`).
   * With `gradientAccumulationSteps` and a schedule, `learningRate` is a plain
   * function (no spec) that maps the rule's update count to Keras' raw step:
   * use it for the rate of a step (`scaleByLearningRate`), not for the spec.
   */
  readonly build: (learningRate: number | Schedule, config: C) => GradientTransform;
};

/**
 * A named optimizer's spec config: the learning rate, its own options (all,
 * defaults filled in) and the common options that were set.
 */
export type NamedOptimizerConfig<C> = C & {readonly learningRate: LearningRateJson} & CommonTrainingConfig;

/**
 * Checks the options (unknown keys, a bad learning rate, a bad own option or
 * a bad common option throw a `ConfigError`), builds the update rule, puts
 * the common options around it in Keras' order (gradient accumulation; then
 * clipping, decoupled weight decay with the current learning rate and the
 * rule; then the EMA of the weights: see `withCommonOptions`) and returns it
 * as an {@link Optimizer} with spec `{id, config: {learningRate, ...config,
 * ...commonOptionsThatWereSet}}` and a read-only `learningRate` property (the
 * number or schedule, for callbacks and loggers). With no common option set,
 * the transform is the rule itself (same state, same spec as before).
 *
 * Ownership: as for every transform, `init`/`update` return new tensors owned
 * by the caller and dispose nothing.
 */
export function namedOptimizer<C extends {readonly [key: string]: Json}>(
  parts: NamedOptimizerParts<C>,
): Optimizer<NamedOptimizerConfig<C>> & {readonly learningRate: number | Schedule} {
  const {id, who, options, ownKeys, defaultLearningRate, config, build} = parts;
  checkOptions(who, options, [...COMMON_OPTION_KEYS, ...ownKeys]);
  const learningRate = checkLearningRate(who, options.learningRate ?? defaultLearningRate, true);
  const own = config();
  const common = checkCommonOptions(who, options, parts.defaultWeightDecay);
  const spec = {id, config: {learningRate: learningRateToJson(learningRate), ...own, ...common.config} as NamedOptimizerConfig<C>};
  const transform = withCommonOptions(who, common, learningRate, (rate) => build(rate, own));
  return withSpec(spec, transform, {learningRate}) as Optimizer<NamedOptimizerConfig<C>> & {
    readonly learningRate: number | Schedule;
  };
}
