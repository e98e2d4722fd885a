/**
 * Attaching a `trellis/<name>` spec to a built-in activation (internal).
 * @module
 */
import type {Tensor} from '@tensorflow/tfjs-core';
import {withSpec} from '@trellis/core';
import type {Activation, ActivationConfig, ActivationName} from './types';

/** `fn` with the spec `{id: 'trellis/<name>', config: {}}`. */
export function defineActivation(name: ActivationName, fn: (x: Tensor) => Tensor): Activation<ActivationConfig> {
  return withSpec({id: `trellis/${name}`, config: {} as ActivationConfig}, fn);
}
