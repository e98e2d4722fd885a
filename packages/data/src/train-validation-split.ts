import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, describe} from '@trellis/core';

/** Inputs and targets of one split. */
export type XY<X extends tf.Tensor = tf.Tensor, Y extends tf.Tensor = tf.Tensor> = {
  readonly x: X;
  readonly y: Y;
};

/** What {@link trainValidationSplit} returns. */
export type TrainValidation<X extends tf.Tensor = tf.Tensor, Y extends tf.Tensor = tf.Tensor> = {
  readonly train: XY<X, Y>;
  readonly validation: XY<X, Y>;
};

/**
 * Where the training part ends for `n` samples and a validation fraction, as
 * Keras computes it: `floor(n * (1 - fraction))`.
 *
 * @throws ConfigError when `fraction` is outside [0, 1), or when a positive
 *   fraction leaves either part empty.
 * @internal
 */
export function splitIndex(n: number, fraction: number, what = 'validationSplit'): number {
  if (typeof fraction !== 'number' || !Number.isFinite(fraction) || fraction < 0 || fraction >= 1) {
    throw new ConfigError(
      `${what} must be a number in [0, 1) (the fraction of samples held out for validation); ` + `got ${describe(fraction)}.`,
    );
  }
  if (fraction === 0) return n;
  const at = Math.floor(n * (1 - fraction));
  if (at === 0 || at === n) {
    throw new ConfigError(
      `${what} = ${fraction} of ${n} samples leaves ${at === 0 ? 'no training' : 'no validation'} samples. ` +
        `Provide more data or choose another fraction.`,
    );
  }
  return at;
}

/**
 * Splits inputs and targets into a training part and a validation part that
 * is the LAST `fraction` of the samples, in order, without shuffling (Keras'
 * `validation_split`: the training part has `floor(n * (1 - fraction))`
 * samples). Shuffle before splitting if the data is sorted.
 *
 * `fraction = 0` returns every sample as training data and a validation part
 * with zero rows (Keras would refuse it; an empty part keeps callers simple).
 *
 * @param x inputs, shape `[n, ...]`, any dtype.
 * @param y targets, shape `[n, ...]`, any dtype.
 * @param fraction the validation fraction, in [0, 1).
 * @returns four new tensors (slices) owned by the caller; `x` and `y` are not
 *   disposed (nothing is).
 * @throws ConfigError for a fraction outside [0, 1) or one that leaves a part empty.
 * @throws ShapeError when `x` or `y` is a scalar or their first dimensions differ.
 */
export function trainValidationSplit<X extends tf.Tensor, Y extends tf.Tensor>(x: X, y: Y, fraction: number): TrainValidation<X, Y> {
  for (const [name, t] of [
    ['x', x],
    ['y', y],
  ] as const) {
    if (!(t instanceof tf.Tensor)) {
      throw new ConfigError(`trainValidationSplit: ${name} must be a tensor; got ${describe(t)}.`);
    }
    if (t.rank === 0) {
      throw new ShapeError(`trainValidationSplit: ${name} must have a sample dimension (rank ≥ 1); got ${describe(t)}.`);
    }
  }
  const n = x.shape[0]!;
  if (y.shape[0] !== n) {
    throw new ShapeError(
      `trainValidationSplit: x and y must have the same number of samples (first dimension); ` +
        `got x ${describe(x)} and y ${describe(y)}. Check that the targets belong to these inputs.`,
    );
  }
  const at = splitIndex(n, fraction, 'trainValidationSplit: fraction');
  const part = <T extends tf.Tensor>(t: T, begin: number, size: number) => {
    const b = t.shape.map((_, i) => (i === 0 ? begin : 0));
    const s = t.shape.map((d, i) => (i === 0 ? size : d));
    return tf.slice(t, b, s) as T;
  };
  return tf.tidy(() => ({
    train: {x: part(x, 0, at), y: part(y, 0, at)},
    validation: {x: part(x, at, n - at), y: part(y, at, n - at)},
  })) as TrainValidation<X, Y>;
}
