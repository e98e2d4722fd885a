/**
 * `factorPenalty(name, args, term)`: Keras' `L1` and `L2`, one factor named
 * like the regularizer times the sum of a term of the weight.
 * @module
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type Regularizer} from '@trellis/core';
import {orDefault, readArguments} from './arguments';
import {checkRate} from './validate';

/** The options object of `l1` or `l2`: the factor under the regularizer's own name. */
export type FactorOptions<K extends string> = {readonly [P in K]?: number};

/**
 * The regularizer `name` (spec `{id: 'trellis/<name>', config: {[name]: factor}}`)
 * with `penalty = factor · Σ term(w)`: the factor (Keras' default 0.01) is
 * read from `name(0.01)` or `name({[name]: 0.01})`.
 *
 * @throws ConfigError when the factor is negative or not finite, for an
 *   unknown option or for more than one argument.
 * @returns a regularizer taking a float32 weight of any shape and returning a
 *   new float32 scalar owned by the caller; the weight is not disposed.
 */
export function factorPenalty<K extends string>(
  name: K,
  args: readonly unknown[],
  term: (weight: tf.Tensor) => tf.Tensor,
): Regularizer<Record<K, number>> {
  const forms = {who: name, positional: [name], allowed: [name], usage: `${name}(0.01) or ${name}({${name}: 0.01})`};
  const options = readArguments(forms, args);
  const factor = checkRate(name, name, orDefault(options[name], 0.01), forms.usage);
  const config = {[name]: factor} as Record<K, number>;
  return withSpec({id: `trellis/${name}`, config}, (weight: tf.Tensor) => tf.tidy(() => tf.mul(factor, tf.sum(term(weight))) as tf.Scalar));
}
