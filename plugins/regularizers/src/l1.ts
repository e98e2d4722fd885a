import * as tf from '@tensorflow/tfjs-core';
import type {Regularizer} from '@trellis/core';
import {factorPenalty, type FactorOptions} from './factor-penalty';

/** Options of {@link l1} (Keras `L1(l1=0.01)`): `l1`, the factor, a finite number >= 0 (default 0.01). */
export type L1Options = FactorOptions<'l1'>;

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
  return factorPenalty('l1', args, tf.abs);
}
