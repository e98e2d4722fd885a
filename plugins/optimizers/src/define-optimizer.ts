/**
 * `defineOptimizer({id, name, learningRate, options, build})`: an optimizer
 * factory whose options, defaults and ranges are declared once.
 * @module
 */
import {checkNumber, ConfigError, describe, optionKeys, type GradientTransform, type Optimizer, type Schedule} from '@trellis/core';
import {checkOptions, checkRequiredNumber} from './checks';
import {checkDeclared, declaredRange} from './declared-options';
import {COMMON_OPTION_KEYS, namedOptimizer, type CommonOptimizerOptions, type NamedOptimizerConfig} from './named-optimizer';

/**
 * A number option: its default and its valid range (`min` inclusive unless
 * `minExclusive`, `max` exclusive unless `maxInclusive`; both optional).
 */
export type NumberOptionDeclaration = {
  readonly default: number;
  readonly min?: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly maxInclusive?: boolean;
};

/** A boolean option and its default. */
export type BooleanOptionDeclaration = {readonly default: boolean};

/** An optimizer's own options by name, in the order they are checked and saved. */
export type OptionDeclarations = {readonly [key: string]: NumberOptionDeclaration | BooleanOptionDeclaration};

/** The checked values of declared options, defaults filled in (they go into the spec). */
export type DeclaredConfig<O extends OptionDeclarations> = {
  readonly [K in keyof O]: O[K] extends BooleanOptionDeclaration ? boolean : number;
};

/** What a factory made by {@link defineOptimizer} accepts: the declared options (all optional) and the common ones. */
export type DeclaredOptions<O extends OptionDeclarations> = CommonOptimizerOptions & {
  readonly [K in keyof O]?: DeclaredConfig<O>[K];
};

/** The optimizer a factory made by {@link defineOptimizer} returns. */
export type DefinedOptimizer<O extends OptionDeclarations> = Optimizer<NamedOptimizerConfig<DeclaredConfig<O>>> & {
  /** The learning rate it was made with (a number or a schedule), for callbacks and loggers. */
  readonly learningRate: number | Schedule;
};

/** What {@link defineOptimizer} needs. */
export type OptimizerDefinition<O extends OptionDeclarations> = {
  /** The spec id, namespaced (`'acme/adabelief'`). */
  readonly id: string;
  /** The factory's name, used in error messages (`'adabelief'`). */
  readonly name: string;
  /** The default learning rate. */
  readonly learningRate: number;
  /**
   * A default `weightDecay` (AdamW's 0.004), which is then always in the
   * spec. Default: none (no weight decay unless the option is set).
   */
  readonly weightDecay?: number;
  /** The optimizer's own options with their defaults and ranges. */
  readonly options: O;
  /**
   * Further checks of the raw options, after the learning rate and before
   * the declared options; throw a `ConfigError` to refuse them.
   */
  readonly check?: (options: Readonly<Record<string, unknown>>) => void;
  /**
   * The update rule: a transform whose updates are added to the variables,
   * already multiplied by `-learningRate` (end it with
   * `scaleByLearningRate(learningRate)`). `learningRate` is the checked
   * number or schedule (with gradient accumulation, a schedule wrapped to
   * see Keras' raw step: use it for the rate, not for a spec).
   */
  readonly build: (config: DeclaredConfig<O>, learningRate: number | Schedule) => GradientTransform;
};

const KEYS = optionKeys<OptimizerDefinition<OptionDeclarations>>({
  id: true,
  name: true,
  learningRate: true,
  weightDecay: true,
  options: true,
  check: true,
  build: true,
});

/** Throws a `ConfigError` unless the definition is usable; checks every declared default against its own range. */
function checkDefinition(definition: OptimizerDefinition<OptionDeclarations>): void {
  const who = 'defineOptimizer';
  checkOptions(who, definition, KEYS);
  const {id, name, options, check, build} = definition;
  const fail = (what: string, value: unknown): never => {
    throw new ConfigError(`${who}: ${what}; got ${describe(value)}.`);
  };
  if (typeof id !== 'string' || !/^[^/\s]+\/[^/\s]+$/.test(id)) fail("id must be a namespaced id such as 'acme/adabelief'", id);
  if (typeof name !== 'string' || name.length === 0) fail('name must be the factory name used in error messages', name);
  checkRequiredNumber(name, 'the default learningRate', definition.learningRate, {min: 0, minExclusive: true});
  if (definition.weightDecay !== undefined) checkNumber(name, 'the default weightDecay', definition.weightDecay, {min: 0});
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    fail('options must be a record of option declarations', options);
  for (const [key, declaration] of Object.entries(options)) {
    if (COMMON_OPTION_KEYS.includes(key)) fail(`option '${key}' is a common option of every optimizer; leave it out of options`, key);
    const fallback = (declaration as {default?: unknown} | null)?.default;
    if (typeof fallback === 'boolean') continue;
    checkRequiredNumber(name, `the default ${key}`, fallback, declaredRange(declaration as NumberOptionDeclaration));
  }
  if (check !== undefined && typeof check !== 'function') fail('check must be a function of the options', check);
  if (typeof build !== 'function') fail('build must be a function (config, learningRate) => GradientTransform', build);
}

/**
 * Makes an optimizer factory from a declaration. The factory:
 *
 * - refuses unknown options (a `ConfigError` naming the option a typo most
 *   likely meant), a learning rate that is not a number > 0 or a schedule
 *   with a spec, and declared options out of range or of the wrong type;
 * - fills in the defaults and builds the spec
 *   `{id, config: {learningRate, ...declared options, ...common options that were set}}`,
 *   which round-trips through JSON and a registry;
 * - takes Keras' common options (`weightDecay`, `clipNorm`, `clipValue`,
 *   `globalClipNorm`, `gradientAccumulationSteps`, `useEma`, ...) and applies
 *   them around `build`'s transform in Keras' order; with none set, the
 *   optimizer's transform and state are `build`'s own;
 * - exposes the read-only `learningRate`.
 *
 * Ownership: as for every transform, `init`/`update` return new tensors
 * owned by the caller and dispose nothing.
 *
 * @throws ConfigError when the definition itself is bad: an unknown key, an id
 *   that is not `owner/name`, a default outside its own range, a declared
 *   option that is a common one, or `build` not a function.
 *
 * @example
 * ```ts
 * export const adabelief = defineOptimizer({
 *   id: 'acme/adabelief',
 *   name: 'adabelief',
 *   learningRate: 1e-3,
 *   options: {beta1: {default: 0.9, min: 0, max: 1}, epsilon: {default: 1e-16, min: 0, minExclusive: true}},
 *   build: (config, learningRate) => chain(scaleByBelief(config), scaleByLearningRate(learningRate)),
 * });
 * ```
 */
export function defineOptimizer<const O extends OptionDeclarations>(
  definition: OptimizerDefinition<O>,
): (options?: DeclaredOptions<O>) => DefinedOptimizer<O> {
  checkDefinition(definition as unknown as OptimizerDefinition<OptionDeclarations>);
  const {id, name, options: declared, check, build} = definition;
  const ownKeys = Object.keys(declared);
  const factory = (options: DeclaredOptions<O> = {} as DeclaredOptions<O>): DefinedOptimizer<O> => {
    const raw = options as Readonly<Record<string, unknown>>;
    return namedOptimizer({
      id,
      who: name,
      options: raw,
      ownKeys,
      defaultLearningRate: definition.learningRate,
      ...(definition.weightDecay === undefined ? {} : {defaultWeightDecay: definition.weightDecay}),
      config: () => {
        check?.(raw);
        return checkDeclared(name, raw, declared) as Record<string, number | boolean>;
      },
      build: (learningRate, config) => build(config as DeclaredConfig<O>, learningRate),
    }) as DefinedOptimizer<O>;
  };
  return Object.defineProperty(factory, 'name', {value: name});
}
