/**
 * Activations by name: Trellis (`leakyRelu`) ↔ Keras (`leaky_relu`).
 * @module
 */
import {ConfigError, UnknownIdError, describeValue, type Json} from '@trellis/core';
import {isObject, own} from './types';

/** Trellis activation names → the Keras names. */
const NAMES: Readonly<Record<string, string>> = {
  elu: 'elu',
  gelu: 'gelu',
  hardSigmoid: 'hard_sigmoid',
  leakyRelu: 'leaky_relu',
  linear: 'linear',
  logSoftmax: 'log_softmax',
  mish: 'mish',
  relu: 'relu',
  relu6: 'relu6',
  selu: 'selu',
  sigmoid: 'sigmoid',
  silu: 'silu',
  softmax: 'softmax',
  softplus: 'softplus',
  softsign: 'softsign',
  swish: 'swish',
  tanh: 'tanh',
};

const FROM_KERAS: Readonly<Record<string, string>> = Object.fromEntries([
  ...Object.entries(NAMES).map(([ours, theirs]) => [theirs, ours]),
  // tfjs-layers' own (camelCase) spellings.
  ...Object.keys(NAMES).map((ours) => [ours, ours]),
]);

/**
 * The Keras name of an activation as a Trellis layer config holds it (a
 * name, or the spec of a built-in activation).
 * @throws ConfigError for an activation with options (Keras layers take
 *   activations by name only: use an activation layer such as LeakyReLU);
 *   UnknownIdError for a name Keras does not know.
 */
export function kerasActivation(activation: Json | undefined, where: string): string {
  if (activation === undefined || activation === null) return 'linear';
  let name: string;
  if (typeof activation === 'string') {
    name = activation.startsWith('trellis/') ? activation.slice('trellis/'.length) : activation;
  } else if (isObject(activation) && typeof activation.id === 'string') {
    const config = activation.config;
    if (isObject(config) && Object.keys(config).length > 0) {
      throw new ConfigError(
        `${where}: the activation '${activation.id}' has options ${JSON.stringify(config)}, which a Keras config cannot express ` +
          '(Keras layers take activations by name). Use the activation by name and add an activation layer (leakyRelu, elu, relu) for the options.',
      );
    }
    name = activation.id.startsWith('trellis/') ? activation.id.slice('trellis/'.length) : activation.id;
  } else {
    throw new ConfigError(`${where}: expected an activation name; got ${describeValue(activation)}.`);
  }
  const keras = own(NAMES, name);
  if (keras === undefined) throw new UnknownIdError('activation (with a Keras name)', name, Object.keys(NAMES).sort());
  return keras;
}

/**
 * The Trellis activation name of a Keras activation (`'leaky_relu'`,
 * tfjs' `'hardSigmoid'`, Keras 3's `{class_name: 'function', config: 'relu'}`;
 * `null` is linear).
 * @throws UnknownIdError for an activation Trellis does not know (custom
 *   functions are never evaluated).
 */
export function activationFromKeras(activation: Json | undefined, where: string): string {
  if (activation === undefined || activation === null) return 'linear';
  let name: unknown = activation;
  if (isObject(activation)) {
    name = activation.class_name === 'function' ? activation.config : activation.class_name;
  }
  if (typeof name !== 'string') throw new ConfigError(`${where}: expected an activation name; got ${describeValue(activation)}.`);
  const ours = own(FROM_KERAS, name);
  if (ours === undefined) throw new UnknownIdError('Keras activation', name, Object.keys(FROM_KERAS).sort());
  return ours;
}
