/**
 * Checks shared by the batch datasets.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DTypeError, ShapeError, checkOptions, describe, nextSeed} from '@trellis/core';

/** Checks `batchSize` is a positive integer. */
export function positiveBatchSize(value: unknown, fn: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${fn}: batchSize must be a positive integer; got ${describe(value)}.`);
  }
  return value;
}

/**
 * Checks that `x` and `y` are live tensors with the same, non-zero number of
 * samples; returns that number.
 */
export function checkSamples(x: unknown, y: unknown, fn: string): number {
  for (const [name, t] of [
    ['x', x],
    ['y', y],
  ] as const) {
    if (!(t instanceof tf.Tensor)) throw new DTypeError(`${fn}: ${name} must be a tf.Tensor; got ${describe(t)}.`);
    if (t.isDisposed) throw new DTypeError(`${fn}: ${name} is a disposed tensor; pass a live tensor.`);
    if (t.rank < 1) throw new ShapeError(`${fn}: ${name} must have a batch dimension; got a scalar.`);
  }
  const n = (x as tf.Tensor).shape[0]!;
  if (n !== (y as tf.Tensor).shape[0]) {
    throw new ShapeError(`${fn}: x has ${n} samples but y has ${(y as tf.Tensor).shape[0]}; they must have the same first dimension.`);
  }
  if (n === 0) throw new ShapeError(`${fn}: x and y are empty (0 samples); pass at least one sample.`);
  return n;
}

/**
 * The checks a batch dataset starts with: its options against `keys`
 * (unknown ones are refused), `batchSize` ({@link positiveBatchSize}), then
 * `x` and `y` ({@link checkSamples}). Returns the options, the batch size and
 * the number of samples.
 */
export function checkBatchDataset<O extends {readonly batchSize: number}>(
  fn: string,
  x: unknown,
  y: unknown,
  options: O,
  keys: readonly string[],
): {o: Partial<O>; batchSize: number; samples: number} {
  const o = checkOptions(fn, options, keys) as Partial<O>;
  const batchSize = positiveBatchSize(o.batchSize, fn);
  return {o, batchSize, samples: checkSamples(x, y, fn)};
}

/** The `seed` option: an integer, by default the next seed of the global stream (`setSeed`). */
export function seedOption(value: unknown, fn: string): number {
  const seed = value ?? nextSeed();
  if (!Number.isInteger(seed)) throw new ConfigError(`${fn}: seed must be an integer; got ${describe(seed)}.`);
  return seed as number;
}
