import {ConfigError, UnknownIdError, describe, type Json} from '@trellis/core';
import {builtInActivations} from './built-ins';
import {linear} from './linear';
import type {Activation, ActivationIdentifier, ActivationJson, ActivationName, ConfigurableActivation, KerasActivationName} from './types';

const BUILT_INS: Readonly<Record<ActivationName, Activation>> = builtInActivations;

// Keras' snake_case spellings, so a model config written by Keras resolves too.
const KERAS_ALIASES: Readonly<Record<KerasActivationName, ActivationName>> = {
  hard_sigmoid: 'hardSigmoid',
  leaky_relu: 'leakyRelu',
  log_softmax: 'logSoftmax',
};

/** The names {@link getActivation} knows, sorted. */
export const activationNames: readonly ActivationName[] = Object.freeze(Object.keys(BUILT_INS).sort() as ActivationName[]);

function builtIn(name: string): Activation | undefined {
  const canonical = Object.hasOwn(KERAS_ALIASES, name) ? KERAS_ALIASES[name as KerasActivationName] : name;
  return Object.hasOwn(BUILT_INS, canonical) ? BUILT_INS[canonical as ActivationName] : undefined;
}

function byName(identifier: string): Activation {
  const name = identifier.startsWith('trellis/') ? identifier.slice('trellis/'.length) : identifier;
  const found = builtIn(name);
  if (!found) throw new UnknownIdError('activation', identifier, activationNames);
  return found;
}

/** A built-in from its spec: the default object for its default config, else a configured one. */
function bySpec(spec: {readonly id: unknown; readonly config?: unknown}): Activation {
  if (typeof spec.id !== 'string') {
    throw new ConfigError(`An activation spec needs a string id such as 'trellis/leakyRelu'; got ${describe(spec.id)}.`);
  }
  const base = byName(spec.id);
  const config = spec.config ?? {};
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new ConfigError(`The config of activation '${spec.id}' must be a JSON object; got ${describe(config)}.`);
  }
  const merged = {...(base.spec.config as object), ...(config as object)} as Json;
  if (sameConfig(merged, base.spec.config)) return base;
  const configurable = base as Partial<ConfigurableActivation>;
  if (typeof configurable.with !== 'function') {
    throw new ConfigError(
      `The activation '${spec.id}' takes no options; got config ${JSON.stringify(config)}. Use {id: '${spec.id}', config: {}}.`,
    );
  }
  return configurable.with(config as Partial<Json>);
}

/**
 * Resolves what a layer's `activation` option may hold (Keras'
 * `keras.activations.get`): a built-in name (`'relu'`, or Keras' spelling
 * `'leaky_relu'`), its spec id (`'trellis/relu'`), a built-in's spec with
 * options (`{id: 'trellis/leakyRelu', config: {negativeSlope: 0.1}}`, as
 * {@link activationToName} writes it), an {@link Activation}, or
 * `null`/`undefined` for {@link linear}.
 *
 * A custom activation must carry a spec so that the layer stays serializable:
 * `withSpec({id: 'acme/swish', config: {}}, (x) => tf.mul(x, tf.sigmoid(x)))`.
 *
 * @throws UnknownIdError for an unknown name (the message lists the known names).
 * @throws ConfigError for a function without a spec, a bad spec config, or any other value.
 */
export function getActivation(identifier: ActivationIdentifier | ActivationJson | null | undefined): Activation {
  if (identifier === null || identifier === undefined) return linear;
  if (typeof identifier === 'string') return byName(identifier);
  if (typeof identifier === 'function') {
    const spec = (identifier as Partial<Activation>).spec;
    if (!spec || typeof spec.id !== 'string') {
      throw new ConfigError(
        'An activation function needs a spec to be serializable; wrap it: ' +
          "withSpec({id: 'acme/myActivation', config: {}}, fn), or use a built-in name " +
          `(${activationNames.join(', ')}).`,
      );
    }
    return identifier;
  }
  if (typeof identifier === 'object' && !Array.isArray(identifier) && 'id' in identifier) {
    return bySpec(identifier as {id: unknown; config?: unknown});
  }
  throw new ConfigError(
    `Expected an activation name (${activationNames.join(', ')}) or an activation function; got ${describe(identifier)}.`,
  );
}

/**
 * What a layer config stores for `activation`: the short name of a built-in
 * with its default options (`'relu'`, `'leakyRelu'`, as Keras writes names),
 * a built-in's spec when its options differ from the defaults
 * (`{id: 'trellis/leakyRelu', config: {negativeSlope: 0.1}}`), else the
 * activation's spec id. {@link getActivation} turns each back into an equal
 * activation, except custom ids, which need the object itself.
 */
export function activationToName(activation: Activation): ActivationJson {
  const {id, config} = activation.spec;
  if (id.startsWith('trellis/')) {
    const name = id.slice('trellis/'.length);
    const base = Object.hasOwn(BUILT_INS, name) ? BUILT_INS[name as ActivationName] : undefined;
    if (base && base.spec.id === id) {
      if (base === activation || sameConfig(config, base.spec.config)) return name;
      return {id, config};
    }
  }
  return id;
}

/** Deep equality of two JSON values (key order does not matter). */
function sameConfig(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameConfig((a as Record<string, Json>)[k], (b as Record<string, Json>)[k]));
}
