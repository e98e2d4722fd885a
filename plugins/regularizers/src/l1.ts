import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type Regularizer, optionKeys} from '@trellis/core';
import {orDefault, readArguments, type CallForms} from './arguments';
import {checkRate} from './validate';

/** Options of {@link l1} (Keras `L1(l1=0.01)`). */
export type L1Options = {
  /** The factor, a finite number >= 0 (default 0.01). */
  readonly l1?: number;
};

const FORMS: CallForms = {
  who: 'l1',
  positional: ['l1'],
  allowed: optionKeys<L1Options>({l1: true}),
  usage: 'l1(0.01) or l1({l1: 0.01})',
};

/**
 * Keras `L1`: `penalty = l1 · Σ|w|` (Keras' default 0.01). Called as in Keras, `l1(0.01)`, or with
 * options, `l1({l1: 0.01})`.
 *
 * @throws ConfigError when the factor is negative or not finite, for an unknown option or for more
 *   than one argument.
 * @returns a regularizer taking a float32 weight of any shape and returning a new float32 scalar owned
 *   by the caller; the weight is not disposed.
 */
export function l1(rate?: number): Regularizer<{l1: number}>;
export function l1(options?: L1Options): Regularizer<{l1: number}>;
export function l1(...args: unknown[]): Regularizer<{l1: number}> {
  const options = readArguments(FORMS, args);
  const factor = checkRate('l1', 'l1', orDefault(options.l1, 0.01), FORMS.usage);
  return withSpec({id: 'trellis/l1', config: {l1: factor}}, (weight: tf.Tensor) =>
    tf.tidy(() => tf.mul(factor, tf.sum(tf.abs(weight))) as tf.Scalar),
  );
}
