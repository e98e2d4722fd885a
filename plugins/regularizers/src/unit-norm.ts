import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type Constraint, optionKeys} from '@trellis/core';
import {orDefault, readArguments, type CallForms} from './arguments';
import {EPSILON} from './norms';
import {checkAxis, resolveAxes} from './validate';

/** Config of {@link unitNorm}. */
export type UnitNormConfig = {
  /** Axis or axes the norm is taken over (default 0). */
  readonly axis?: number | readonly number[];
};

const FORMS: CallForms = {
  who: 'unitNorm',
  positional: ['axis'],
  allowed: optionKeys<UnitNormConfig>({axis: true}),
  usage: 'unitNorm(0) or unitNorm({axis: 0})',
};

/**
 * Keras `UnitNorm`: `w / (ε + ‖w‖)`, ε = 1e-7, norms over `axis`. Called with options,
 * `unitNorm({axis: [0, 1, 2]})`, or with Keras' first argument, `unitNorm([0, 1, 2])`.
 *
 * @throws ConfigError for a bad `axis`, an unknown option or more than one argument, and (when called)
 *   for an axis outside the weight's rank.
 * @returns a constraint returning a new tensor of the weight's shape (caller owns it); the weight is not disposed.
 */
export function unitNorm(axis?: number | readonly number[]): Constraint<{axis: number | number[]}>;
export function unitNorm(config?: UnitNormConfig): Constraint<{axis: number | number[]}>;
export function unitNorm(...args: unknown[]): Constraint<{axis: number | number[]}> {
  const config = readArguments(FORMS, args);
  const axis = checkAxis('unitNorm', orDefault(config.axis, 0), FORMS.usage);
  return withSpec({id: 'trellis/unitNorm', config: {axis}}, (weight: tf.Tensor) => {
    const axes = resolveAxes('unitNorm', axis, weight.rank);
    return tf.tidy(() => tf.div(weight, tf.add(EPSILON, tf.sqrt(tf.sum(tf.square(weight), axes, true)))));
  });
}
