import {ConfigError, UnknownIdError, describe} from '@trellis/core';
import {linear} from './linear';
import {relu} from './relu';
import {sigmoid} from './sigmoid';
import {softmax} from './softmax';
import {tanh} from './tanh';
import type {Activation, ActivationIdentifier, ActivationName} from './types';

const BUILT_INS: Readonly<Record<ActivationName, Activation>> = {linear, relu, sigmoid, softmax, tanh};

/** The names {@link getActivation} knows, sorted. */
export const activationNames: readonly ActivationName[] = Object.freeze(
  Object.keys(BUILT_INS).sort() as ActivationName[],
);

/**
 * Resolves what a layer's `activation` option may hold (Keras'
 * `keras.activations.get`): a built-in name (`'relu'`), its spec id
 * (`'trellis/relu'`), an {@link Activation}, or `null`/`undefined` for
 * {@link linear}.
 *
 * A custom activation must carry a spec so that the layer stays serializable:
 * `withSpec({id: 'acme/swish', config: {}}, (x) => tf.mul(x, tf.sigmoid(x)))`.
 *
 * @throws UnknownIdError for an unknown name (the message lists the known names).
 * @throws ConfigError for a function without a spec, or any other value.
 */
export function getActivation(identifier: ActivationIdentifier | string | null | undefined): Activation {
  if (identifier === null || identifier === undefined) return linear;
  if (typeof identifier === 'string') {
    const name = identifier.startsWith('trellis/') ? identifier.slice('trellis/'.length) : identifier;
    const found = Object.hasOwn(BUILT_INS, name) ? BUILT_INS[name as ActivationName] : undefined;
    if (!found) throw new UnknownIdError('activation', identifier, activationNames);
    return found;
  }
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
  throw new ConfigError(
    `Expected an activation name (${activationNames.join(', ')}) or an activation function; got ${describe(identifier)}.`,
  );
}

/**
 * The name a layer config stores for `activation`: the short name of a
 * built-in (`'relu'`, as Keras writes it), else the activation's spec id.
 */
export function activationToName(activation: Activation): string {
  const id = activation.spec.id;
  if (id.startsWith('trellis/')) {
    const name = id.slice('trellis/'.length);
    if (Object.hasOwn(BUILT_INS, name) && BUILT_INS[name as ActivationName] === activation) return name;
  }
  return id;
}
