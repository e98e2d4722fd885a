/**
 * The built-in activations under their names (internal): one list for
 * {@link getActivation} and the `activations` namespace.
 * @module
 */
import {elu} from './elu';
import {gelu} from './gelu';
import {hardSigmoid} from './hard-sigmoid';
import {leakyRelu} from './leaky-relu';
import {linear} from './linear';
import {logSoftmax} from './log-softmax';
import {mish} from './mish';
import {relu} from './relu';
import {relu6} from './relu6';
import {selu} from './selu';
import {sigmoid} from './sigmoid';
import {softmax} from './softmax';
import {softplus} from './softplus';
import {softsign} from './softsign';
import {silu, swish} from './swish';
import {tanh} from './tanh';
import type {Activation, ActivationName} from './types';

/** Every built-in activation under its {@link ActivationName}. */
export const builtInActivations = Object.freeze({
  elu,
  gelu,
  hardSigmoid,
  leakyRelu,
  linear,
  logSoftmax,
  mish,
  relu,
  relu6,
  selu,
  sigmoid,
  silu,
  softmax,
  softplus,
  softsign,
  swish,
  tanh,
} as const) satisfies Readonly<Record<ActivationName, Activation>>;
