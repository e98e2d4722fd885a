import * as tf from '@tensorflow/tfjs-core';
import type {Regularizer} from '@trellis/core';
import {factorPenalty, type FactorOptions} from './factor-penalty';

/** Options of {@link l2} (Keras `L2(l2=0.01)`): `l2`, the factor, a finite number >= 0 (default 0.01). */
export type L2Options = FactorOptions<'l2'>;

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
  return factorPenalty('l2', args, tf.square);
}
