/**
 * Config checks shared by the initializers.
 * @module
 */
import {ConfigError, DTypeError, checkSeed as checkCoreSeed, describe} from '@trellis/core';
import type * as tf from '@tensorflow/tfjs-core';

/** Throws a ConfigError unless `seed` is undefined or a non-negative integer (core's `checkSeed`). */
export function checkSeed(name: string, seed: number | undefined): void {
  checkCoreSeed(name, seed);
}

/**
 * Throws a ConfigError unless `value` is a finite number (`positive` also requires > 0). `usage`, when
 * given, is how to call `name`, appended to the message.
 */
export function checkNumber(name: string, parameter: string, value: unknown, positive = false, usage?: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (positive && value <= 0)) {
    const expected = positive ? 'a positive finite number' : 'a finite number';
    throw new ConfigError(`${name}: ${parameter} must be ${expected}; got ${describe(value)}.${usage ? ` Call it as ${usage}.` : ''}`);
  }
  return value;
}

/** Throws a DTypeError unless `dtype` is float32 (random draws are float32 only). */
export function checkFloat32(name: string, dtype: tf.DataType): void {
  if (dtype !== 'float32') {
    throw new DTypeError(`${name} makes float32 weights; got dtype '${dtype}'. Use zeros() or constant() for int32.`);
  }
}

/** `{seed}` when a seed was given, `{}` otherwise (specs carry only explicit seeds). */
export function seedPart(seed: number | undefined): {seed?: number} {
  return seed === undefined ? {} : {seed};
}
