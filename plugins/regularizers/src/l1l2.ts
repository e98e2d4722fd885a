import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type Regularizer, optionKeys} from '@trellis/core';
import {orDefault, readArguments, type CallForms} from './arguments';
import {checkRate} from './validate';

/** Config of {@link l1l2} (Keras `L1L2(l1=0.0, l2=0.0)`). */
export type L1L2Config = {
  /** L1 factor (default 0). */
  readonly l1?: number;
  /** L2 factor (default 0). */
  readonly l2?: number;
};

const FORMS: CallForms = {
  who: 'l1l2',
  positional: ['l1', 'l2'],
  allowed: optionKeys<L1L2Config>({l1: true, l2: true}),
  usage: 'l1l2(1e-5, 1e-4) or l1l2({l1: 1e-5, l2: 1e-4})',
};

/**
 * Keras `L1L2`: `penalty = l1 · Σ|w| + l2 · Σw²`. Like Keras' `L2`, the L2 term has no ½. Called as in
 * Keras, `l1l2(1e-5, 1e-4)` (l1, then l2), or with options, `l1l2({l1: 1e-5, l2: 1e-4})`.
 *
 * @throws ConfigError when `l1` or `l2` is negative or not finite, for an unknown option, or for more
 *   than two arguments.
 * @returns a regularizer taking a float32 weight of any shape and returning a new float32 scalar owned
 *   by the caller; the weight is not disposed.
 */
export function l1l2(l1?: number, l2?: number): Regularizer<{l1: number; l2: number}>;
export function l1l2(config?: L1L2Config): Regularizer<{l1: number; l2: number}>;
export function l1l2(...args: unknown[]): Regularizer<{l1: number; l2: number}> {
  const options = readArguments(FORMS, args);
  const l1 = checkRate('l1l2', 'l1', orDefault(options.l1, 0), FORMS.usage);
  const l2 = checkRate('l1l2', 'l2', orDefault(options.l2, 0), FORMS.usage);
  return withSpec({id: 'trellis/l1l2', config: {l1, l2}}, (weight: tf.Tensor) =>
    tf.tidy(() => {
      let penalty: tf.Scalar = tf.scalar(0);
      if (l1 !== 0) penalty = tf.add(penalty, tf.mul(l1, tf.sum(tf.abs(weight))));
      if (l2 !== 0) penalty = tf.add(penalty, tf.mul(l2, tf.sum(tf.square(weight))));
      return penalty;
    }),
  );
}
