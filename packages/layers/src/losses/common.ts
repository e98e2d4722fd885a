/**
 * Shared machinery of the built-in losses (internal): target/prediction
 * alignment, per-sample reduction, target validation, and the loss object.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  DTypeError,
  DataError,
  ShapeError,
  checkOptions,
  describe,
  withSpec,
  type Json,
  type Loss,
  type TargetKind,
} from '@trellis/core';
import {formatShape} from '../layers/common';
import type {OptionKeys} from '../option-keys';

/** Keras' fuzz factor (`keras.backend.epsilon()`): probabilities are clipped to [EPSILON, 1 - EPSILON]. */
export const EPSILON = 1e-7;

/** `t` as float32 (a new tensor when cast, else `t` itself). */
export function toFloat(t: tf.Tensor): tf.Tensor {
  return t.dtype === 'float32' ? t : tf.cast(t, 'float32');
}

/**
 * Why `yTrue` cannot serve as targets for predictions of `predShape`, or null
 * when it can. Dense targets match the prediction, allowing a trailing axis of
 * size 1 on either side (Keras' `squeeze_or_expand_to_same_rank`); sparse
 * targets match the prediction without its class axis `classAxis` (default
 * -1, the last), or with that axis of size 1. Sparse and categorical
 * predictions need a class axis that is not the batch axis.
 */
export function targetShapeProblem(
  kind: TargetKind,
  trueShape: readonly number[],
  predShape: readonly number[],
  classAxis = -1,
): string | null {
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
  if (kind === 'sparse' || kind === 'categorical') {
    if (predShape.length < 2) {
      return `predictions need a batch and a class axis, [batch, ..., classes]; got ${formatShape(predShape)}`;
    }
    const axisProblem = classAxisProblem(classAxis, predShape.length);
    if (axisProblem) return `${axisProblem} for predictions of shape ${formatShape(predShape)}`;
  }
  if (kind === 'sparse') {
    const axis = classAxis < 0 ? predShape.length + classAxis : classAxis;
    const outer = predShape.filter((_, i) => i !== axis);
    const withOne = predShape.map((d, i) => (i === axis ? 1 : d));
    if (same(trueShape, outer) || same(trueShape, withOne)) return null;
    const hint = same(trueShape, predShape) ? ' These look like one-hot targets: use categoricalCrossentropy, or pass class ids.' : '';
    return (
      `expected integer class ids of shape ${formatShape(outer)} or ${formatShape(withOne)} for predictions ` +
      `of shape ${formatShape(predShape)}; got ${formatShape(trueShape)}.${hint}`
    );
  }
  if (same(trueShape, predShape)) return null;
  if (kind !== 'categorical') {
    if (predShape.at(-1) === 1 && same(trueShape, predShape.slice(0, -1))) return null;
    if (trueShape.at(-1) === 1 && same(trueShape.slice(0, -1), predShape)) return null;
  }
  const hint =
    kind === 'categorical' && same(trueShape, predShape.slice(0, -1))
      ? ' These look like integer class ids: use sparseCategoricalCrossentropy, or one-hot encode them (tf.oneHot).'
      : '';
  return `expected targets of shape ${formatShape(predShape)} (the prediction's shape); got ${formatShape(trueShape)}.${hint}`;
}

/** Throws a ShapeError unless `yTrue` fits `yPred` (see {@link targetShapeProblem}). */
export function checkShapes(lossName: string, kind: TargetKind, yTrue: tf.Tensor, yPred: tf.Tensor, classAxis = -1): void {
  const problem = targetShapeProblem(kind, yTrue.shape, yPred.shape, classAxis);
  if (problem) throw new ShapeError(`${lossName}: ${problem}`);
}

/**
 * Reduces an element-wise loss `[batch, ...]` to per-sample losses `[batch]` by
 * averaging the non-batch axes (Keras averages the last axis, then the batch
 * reduction averages the rest: the overall mean is the same).
 */
export function perSample(values: tf.Tensor): tf.Tensor1D {
  if (values.rank === 1) return values as tf.Tensor1D;
  if (values.rank === 0) return tf.reshape(values, [1]);
  const axes = Array.from({length: values.rank - 1}, (_, i) => i + 1);
  return tf.mean(values, axes) as tf.Tensor1D;
}

/** What a built-in loss supplies to {@link makeLoss}. */
export interface LossDefinition<C extends Json> {
  /** The loss' name, in messages; its spec id is `trellis/<name>`. */
  readonly name: string;
  readonly config: C;
  readonly targetKind: TargetKind;
  readonly fromLogits: boolean;
  /**
   * The class axis of `'sparse'` and `'categorical'` losses (negative counts
   * from the end; default -1): shape checks and `validateTargets` read it.
   */
  readonly classAxis?: number;
  /** The per-sample loss, `yTrue` already checked against `yPred` and `yPred` float32. Runs inside a tidy. */
  readonly compute: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor1D;
}

/** Builds a {@link Loss} from its definition: shape checks, tidy, spec, and `validateTargets`. */
export function makeLoss<C extends Json>(def: LossDefinition<C>): Loss<C> {
  const fn = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor1D => {
    if (!(yTrue instanceof tf.Tensor) || !(yPred instanceof tf.Tensor)) {
      throw new ConfigError(`${def.name}(yTrue, yPred) expects two tensors; got ${describe(yTrue)} and ${describe(yPred)}.`);
    }
    checkDType(def.name, yTrue);
    checkShapes(def.name, def.targetKind, yTrue, yPred, def.classAxis);
    return tf.tidy(() => def.compute(yTrue, toFloat(yPred)));
  };
  return withSpec({id: `trellis/${def.name}`, config: def.config}, fn, {
    name: def.name,
    targetKind: def.targetKind,
    fromLogits: def.fromLogits,
    validateTargets: (yTrue: tf.Tensor, predictionShape: readonly number[]) =>
      validateTargets(def.name, def.targetKind, yTrue, predictionShape, def.classAxis ?? -1),
  });
}

/**
 * The options object of a loss factory as a record, checked by
 * `@trellis/core`'s `checkOptions`: `undefined` or `null` give `{}`; anything
 * else that is not a plain object, or that has a key outside `keys`, is a
 * ConfigError (for an unknown key, naming it and the closest option).
 */
export function readOptions<O extends object>(
  lossName: string,
  options: O | null | undefined,
  keys: OptionKeys<O>,
): Readonly<Record<string, unknown>> {
  return options === null ? {} : checkOptions(lossName, options, keys);
}

/** A boolean option, `fallback` when absent; anything else is a ConfigError. */
export function readBoolean(lossName: string, options: Readonly<Record<string, unknown>>, key: string, fallback: boolean): boolean {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new ConfigError(`${lossName}: ${key} must be a boolean; got ${describe(value)}.`);
  }
  return value;
}

/**
 * A finite number option, `fallback` when absent, checked against a range
 * (`min`/`max` inclusive, `above` exclusive); anything else is a ConfigError
 * naming the allowed range.
 */
export function readNumber(
  lossName: string,
  options: Readonly<Record<string, unknown>>,
  key: string,
  fallback: number,
  range: {readonly min?: number; readonly max?: number; readonly above?: number} = {},
): number {
  const value = options[key];
  if (value === undefined) return fallback;
  const {min, max, above} = range;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (min === undefined || value >= min) &&
    (max === undefined || value <= max) &&
    (above === undefined || value > above);
  if (!ok) {
    const wanted =
      min !== undefined && max !== undefined
        ? `a number in [${min}, ${max}]`
        : above !== undefined
          ? `a number > ${above}`
          : min !== undefined
            ? `a number >= ${min}`
            : 'a finite number';
    throw new ConfigError(`${lossName}: ${key} must be ${wanted}; got ${describe(value)}.`);
  }
  return value;
}

/** `labelSmoothing` in [0, 1] (Keras `label_smoothing`), default 0. */
export function readLabelSmoothing(lossName: string, options: Readonly<Record<string, unknown>>): number {
  return readNumber(lossName, options, 'labelSmoothing', 0, {min: 0, max: 1});
}

/**
 * The class (or feature) `axis` option: an integer, negative counting from
 * the end, default -1; 0 (the batch axis) is a ConfigError since losses are
 * per sample.
 */
export function readAxis(lossName: string, options: Readonly<Record<string, unknown>>): number {
  const value = options.axis;
  if (value === undefined) return -1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value === 0) {
    throw new ConfigError(
      `${lossName}: axis must be a non-zero integer (negative counts from the end; 0 is the batch axis); ` + `got ${describe(value)}.`,
    );
  }
  return value;
}

/** Why `axis` cannot be the class axis of a rank-`rank` prediction, or null. */
export function classAxisProblem(axis: number, rank: number): string | null {
  const resolved = axis < 0 ? rank + axis : axis;
  if (resolved >= 1 && resolved < rank) return null;
  return `axis ${axis} is not a non-batch axis (expected 1..${rank - 1} or -${rank - 1}..-1)`;
}

/**
 * `x` with axis `axis` moved last (a transpose; `x` itself when it is last
 * already). `axis` must be valid for `x` (see {@link classAxisProblem}).
 */
export function moveAxisLast(x: tf.Tensor, axis: number): tf.Tensor {
  const resolved = axis < 0 ? x.rank + axis : axis;
  if (resolved === x.rank - 1) return x;
  const perm = [...Array.from({length: x.rank}, (_, i) => i).filter((i) => i !== resolved), resolved];
  return tf.transpose(x, perm);
}

/**
 * The operands of a categorical loss along the class axis `axis`: the float
 * targets `y`, smoothed towards the uniform distribution over the targets'
 * last axis (`y·(1 - s) + s/n`) when `labelSmoothing` is above 0, and the
 * predictions `x`, both with `axis` moved last, which is axis `last`.
 */
export function classesLast(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  labelSmoothing: number,
  axis: number,
): {readonly y: tf.Tensor; readonly x: tf.Tensor; readonly last: number} {
  let y = toFloat(yTrue);
  if (labelSmoothing > 0) y = tf.add(tf.mul(y, 1 - labelSmoothing), labelSmoothing / yTrue.shape.at(-1)!);
  y = moveAxisLast(y, axis);
  const x = moveAxisLast(yPred, axis);
  return {y, x, last: x.rank - 1};
}

function checkDType(lossName: string, yTrue: tf.Tensor): void {
  if (yTrue.dtype === 'string' || yTrue.dtype === 'complex64') {
    throw new DTypeError(`${lossName}: targets must be float32, int32 or bool; got ${yTrue.dtype}.`);
  }
}

/**
 * Checks targets once before training: shapes against `predictionShape` (the
 * shape of the predictions for all of `yTrue`, batch dimension included, as
 * the fit loop passes it), then the values, with one asynchronous readback
 * (`await yTrue.data()`, which every backend can do, webgpu included): no NaN
 * or infinity, binary and categorical targets in [0, 1], sparse targets
 * integer class ids in [0, classes). Every problem is a rejection.
 */
async function validateTargets(
  lossName: string,
  kind: TargetKind,
  yTrue: tf.Tensor,
  predictionShape: readonly number[],
  classAxis: number,
): Promise<void> {
  if (!(yTrue instanceof tf.Tensor)) {
    throw new ConfigError(`${lossName}: targets must be a tensor; got ${describe(yTrue)}.`);
  }
  if (!Array.isArray(predictionShape) || !predictionShape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ConfigError(`${lossName}: predictionShape must be an array of non-negative integers; got ${describe(predictionShape)}.`);
  }
  checkDType(lossName, yTrue);
  const problem = targetShapeProblem(kind, yTrue.shape, predictionShape, classAxis);
  if (problem) throw new ShapeError(`${lossName}: ${problem}`);
  const classes = predictionShape.at(classAxis) ?? 0;
  const values = await yTrue.data();
  let first = -1;
  let why = '';
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const reason = badValue(kind, v, classes);
    if (reason) {
      count++;
      if (first === -1) {
        first = i;
        why = reason;
      }
    }
  }
  if (first !== -1) {
    const index = unravel(first, yTrue.shape);
    const others = count > 1 ? ` (${count - 1} more bad target${count > 2 ? 's' : ''})` : '';
    throw new DataError(
      `${lossName}: the target at index ${formatShape(index)} (sample ${index[0] ?? 0}) is ${values[first]}, ${why}${others}.` + fix(kind),
    );
  }
}

function badValue(kind: TargetKind, v: number, classes: number): string | null {
  if (Number.isNaN(v)) return 'but targets must be numbers';
  if (!Number.isFinite(v)) return 'but targets must be finite';
  if ((kind === 'binary' || kind === 'categorical') && (v < 0 || v > 1)) {
    return `but ${kind} targets must lie in [0, 1]`;
  }
  if (kind === 'sparse' && (!Number.isInteger(v) || v < 0 || v >= classes)) {
    return `but sparse targets must be integer class ids in [0, ${classes})`;
  }
  return null;
}

function fix(kind: TargetKind): string {
  switch (kind) {
    case 'sparse':
      return ' Check the labels, or the number of units of the last layer.';
    case 'binary':
      return ' Use 0/1 labels (or probabilities), or a regression loss for other values.';
    case 'categorical':
      return ' Use one-hot (or probability) rows.';
    default:
      return ' Clean the data (drop or impute missing values).';
  }
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length).fill(0);
  let rest = flat;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const size = shape[axis]!;
    index[axis] = rest % size;
    rest = Math.floor(rest / size);
  }
  return index;
}
