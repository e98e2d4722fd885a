import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type Regularizer, optionKeys} from '@trellis/core';
import {orDefault, readArguments, type CallForms} from './arguments';
import {checkRate} from './validate';

/** Options of {@link l2} (Keras `L2(l2=0.01)`). */
export type L2Options = {
  /** The factor, a finite number >= 0 (default 0.01). */
  readonly l2?: number;
};

const FORMS: CallForms = {
  who: 'l2',
  positional: ['l2'],
  allowed: optionKeys<L2Options>({l2: true}),
  usage: 'l2(0.01) or l2({l2: 0.01})',
};

/**
 * Keras `L2`: `penalty = l2 · Σw²` (Keras' default 0.01). Called as in Keras, `l2(0.01)`, or with
 * options, `l2({l2: 0.01})`.
 *
 * There is no ½: the textbook weight decay `½λ·Σw²` is `l2(λ / 2)`, whose gradient is `λ·w`.
 *
 * @throws ConfigError when the factor is negative or not finite, for an unknown option or for more
 *   than one argument.
 * @returns a regularizer taking a float32 weight of any shape and returning a new float32 scalar owned
 *   by the caller; the weight is not disposed.
 */
export function l2(rate?: number): Regularizer<{l2: number}>;
export function l2(options?: L2Options): Regularizer<{l2: number}>;
export function l2(...args: unknown[]): Regularizer<{l2: number}> {
  const options = readArguments(FORMS, args);
  const factor = checkRate('l2', 'l2', orDefault(options.l2, 0.01), FORMS.usage);
  return withSpec({id: 'trellis/l2', config: {l2: factor}}, (weight: tf.Tensor) =>
    tf.tidy(() => tf.mul(factor, tf.sum(tf.square(weight))) as tf.Scalar),
  );
}
