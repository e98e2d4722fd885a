import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type Constraint, optionKeys} from '@trellis/core';
import {orDefault, readArguments, type CallForms} from './arguments';
import {rescaleNorms} from './norms';
import {checkAxis, checkRate} from './validate';

/** Config of {@link maxNorm}. */
export type MaxNormConfig = {
  /** Largest norm allowed (default 2). */
  readonly maxValue?: number;
  /** Axis or axes the norm is taken over (default 0: each column of a dense kernel). */
  readonly axis?: number | readonly number[];
};

const FORMS: CallForms = {
  who: 'maxNorm',
  positional: ['maxValue'],
  allowed: optionKeys<MaxNormConfig>({maxValue: true, axis: true}),
  usage: 'maxNorm(2) or maxNorm({maxValue: 2, axis: 0})',
};

/**
 * Keras `MaxNorm`: `w · clip(‖w‖, 0, maxValue) / (ε + ‖w‖)`, ε = 1e-7, norms over `axis`. Called with
 * options, `maxNorm({maxValue: 3, axis: 0})`, or with Keras' first argument, `maxNorm(3)`.
 *
 * @throws ConfigError for a negative/non-finite `maxValue`, a bad `axis`, an unknown option or more than
 *   one argument; ConfigError (when called) for an axis outside the weight's rank.
 * @returns a constraint returning a new tensor of the weight's shape (caller owns it); the weight is not disposed.
 */
export function maxNorm(maxValue?: number): Constraint<{maxValue: number; axis: number | number[]}>;
export function maxNorm(config?: MaxNormConfig): Constraint<{maxValue: number; axis: number | number[]}>;
export function maxNorm(...args: unknown[]): Constraint<{maxValue: number; axis: number | number[]}> {
  const config = readArguments(FORMS, args);
  const maxValue = checkRate('maxNorm', 'maxValue', orDefault(config.maxValue, 2), FORMS.usage);
  const axis = checkAxis('maxNorm', orDefault(config.axis, 0), FORMS.usage);
  return withSpec({id: 'trellis/maxNorm', config: {maxValue, axis}}, (weight: tf.Tensor) =>
    rescaleNorms('maxNorm', weight, axis, (norms) => tf.clipByValue(norms, 0, maxValue)),
  );
}
