/**
 * Attaching a `trellis/<name>` spec to a built-in activation (internal).
 * @module
 */
import type {Tensor} from '@tensorflow/tfjs-core';
import {ConfigError, checkOptions, describe, withSpec, type Json} from '@trellis/core';
import type {Activation, ActivationConfig, ActivationName, ConfigurableActivation} from './types';

/** `fn` with the spec `{id: 'trellis/<name>', config: {}}`. */
export function defineActivation(name: ActivationName, fn: (x: Tensor) => Tensor): Activation<ActivationConfig> {
  return withSpec({id: `trellis/${name}`, config: {} as ActivationConfig}, fn);
}

/** How a configurable activation checks its options and computes. */
export type ConfigurableDefinition<C extends Json> = {
  readonly name: ActivationName;
  /** The config of the default activation (Keras' defaults). */
  readonly defaults: C;
  /** Validates one option; throws a ConfigError naming the activation, the option and what came. */
  readonly check: (key: keyof C & string, value: unknown) => void;
  /** The function for a validated config. */
  readonly make: (config: C) => (x: Tensor) => Tensor;
};

/**
 * The default activation of `definition`, spec `{id: 'trellis/<name>',
 * config: defaults}`, whose `with(options)` returns a new activation with the
 * given options (the others keep their current values).
 */
export function defineConfigurableActivation<C extends Json & object>(definition: ConfigurableDefinition<C>): ConfigurableActivation<C> {
  const create = (config: C): ConfigurableActivation<C> => {
    const fn = definition.make(config);
    const configure = (options: Partial<C>): ConfigurableActivation<C> => create(withOptions(definition, config, options));
    const frozen = Object.freeze({...config}) as C;
    return withSpec<typeof fn, C, {with: typeof configure}>({id: `trellis/${definition.name}`, config: frozen}, fn, {
      with: configure,
    });
  };
  return create(definition.defaults);
}

/**
 * `current` with `options` applied: `@trellis/core`'s `checkOptions` refuses
 * keys outside the config (those of `defaults`, so exactly the keys of `C`),
 * then each given value is checked.
 */
function withOptions<C extends Json & object>(definition: ConfigurableDefinition<C>, current: C, options: unknown): C {
  const given = checkOptions(`${definition.name}.with`, options, Object.keys(definition.defaults));
  const config: Record<string, unknown> = {...current};
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    definition.check(key as keyof C & string, value);
    config[key] = value;
  }
  return config as C;
}

/** Throws unless `value` is a finite number (for options such as `alpha`). */
export function checkFiniteNumber(name: string, key: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError(`${name}: ${key} must be a finite number; got ${describe(value)}.`);
  }
}

/** Throws unless `value` is an integer (an axis, negative counting from the end). */
export function checkAxisOption(name: string, key: string, value: unknown): void {
  if (!Number.isInteger(value)) {
    throw new ConfigError(`${name}: ${key} must be an integer axis (-1 is the last); got ${describe(value)}.`);
  }
}
