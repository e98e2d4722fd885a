/**
 * `kerasOptimizer(name, learningRate, options, build)`: a Keras-named
 * optimizer factory with spec id `trellis/<name>` (internal).
 * @module
 */
import type {GradientTransform, Json, Optimizer, Schedule, StateTree} from '@trellis/core';
import {
  defineOptimizer,
  type DeclaredConfig,
  type DeclaredOptions,
  type OptimizerDefinition,
  type OptionDeclarations,
} from './define-optimizer';
import type {NamedOptimizerConfig} from './named-optimizer';
import {chain} from './chain';
import {scaleByLearningRate} from './scale-by-learning-rate';

/** The JSON config in the spec of an optimizer declared with `options`: every option, defaults filled in, and the learning rate. */
export type KerasOptimizerConfig<O extends OptionDeclarations> = NamedOptimizerConfig<DeclaredConfig<O>>;

/**
 * A Keras-named optimizer factory: takes `Options`, returns an optimizer
 * with spec config `Config` whose state is one entry per chained transform.
 */
export type OptimizerFactory<Options, Config extends Json> = (options?: Options) => Optimizer<Config, readonly StateTree[]>;

/**
 * {@link defineOptimizer} with the id `trellis/<name>` and Keras' default
 * `learningRate`: the factory checks the declared `options`, fills in their
 * defaults, saves them in the spec and builds `build(config, learningRate)`
 * inside Keras' common options. `extra` adds a default weight decay or
 * further checks (AdamW).
 *
 * @throws ConfigError when the declaration itself is bad (see {@link defineOptimizer}).
 */
export function kerasOptimizer<const O extends OptionDeclarations>(
  name: string,
  learningRate: number,
  options: O,
  build: (config: DeclaredConfig<O>, learningRate: number | Schedule) => GradientTransform,
  extra: Pick<OptimizerDefinition<O>, 'weightDecay' | 'check'> = {},
): OptimizerFactory<DeclaredOptions<O>, KerasOptimizerConfig<O>> {
  const factory = defineOptimizer({id: `trellis/${name}`, name, learningRate, options, build, ...extra});
  return factory as OptimizerFactory<DeclaredOptions<O>, KerasOptimizerConfig<O>>;
}

/**
 * The `build` of an optimizer whose rule is one transform followed by the
 * learning rate: `(config, learningRate) => chain(rule(config), scaleByLearningRate(learningRate))`.
 */
export function beforeLearningRate<C>(
  rule: (config: C) => GradientTransform,
): (config: C, learningRate: number | Schedule) => GradientTransform {
  return (config, learningRate) => chain(rule(config), scaleByLearningRate(learningRate));
}
