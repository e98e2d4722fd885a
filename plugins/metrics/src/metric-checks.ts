import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, StateError, describe, type StateTree} from '@trellis/core';

/** Throws a `ConfigError` unless `t` is a live tensor. @internal */
export function checkTensor(metric: string, what: string, t: unknown): asserts t is tf.Tensor {
  if (!(t instanceof tf.Tensor)) {
    throw new ConfigError(`${metric}: ${what} must be a tensor; got ${describe(t)}.`);
  }
  if (t.isDisposed) {
    throw new ConfigError(`${metric}: ${what} was disposed before the metric could read it. Keep it alive until update() returns.`);
  }
}

/**
 * Checks the arguments every metric's `update` receives: live tensors,
 * `yPred` with a batch dimension, `yTrue` with the same batch size, and a
 * `sampleWeight` of shape `[batch]` or `[batch, 1]`. Returns the batch size.
 * Allocates nothing.
 * @internal
 */
export function checkBatch(name: string, yTrue: unknown, yPred: unknown, sampleWeight: unknown): number {
  checkTensor(name, 'yTrue', yTrue);
  checkTensor(name, 'yPred', yPred);
  if (yPred.rank === 0) {
    throw new ShapeError(`${name}: yPred must have a batch dimension ([batch, ...]); got ${describe(yPred)}.`);
  }
  const batch = yPred.shape[0]!;
  if (yTrue.rank === 0 || yTrue.shape[0] !== batch) {
    throw new ShapeError(
      `${name}: yTrue and yPred must have the same batch size (first dimension); ` +
        `got yTrue ${describe(yTrue)} and yPred ${describe(yPred)}.`,
    );
  }
  if (sampleWeight !== undefined) {
    checkTensor(name, 'sampleWeight', sampleWeight);
    const ok =
      (sampleWeight.rank === 1 && sampleWeight.shape[0] === batch) ||
      (sampleWeight.rank === 2 && sampleWeight.shape[0] === batch && sampleWeight.shape[1] === 1);
    if (!ok) {
      throw new ShapeError(`${name}: sampleWeight must have shape [${batch}] (one weight per sample); got ${describe(sampleWeight)}.`);
    }
  }
  return batch;
}

/**
 * Throws a `StateError` unless `state` is an object holding a live tensor
 * under each of `keys`. `expected` describes the state in the message.
 * @internal
 */
export function checkStateKeys<S extends StateTree>(
  name: string,
  state: unknown,
  keys: readonly string[],
  expected: string,
): asserts state is S {
  const s = state as Record<string, unknown> | null;
  const ok = s !== null && typeof s === 'object' && keys.every((k) => s[k] instanceof tf.Tensor && !(s[k] as tf.Tensor).isDisposed);
  if (!ok) {
    throw new StateError(
      `${name}: expected a state ${expected} of live tensors from init() or update(); got ${describe(state)}. ` +
        `States are not reusable after being disposed: start again from init().`,
    );
  }
}

/**
 * Keras' `squeeze_or_expand_to_same_rank(yTrue, yPred)`: when the ranks differ
 * by one and the longer has a trailing 1, the shorter gains a trailing axis
 * if it has rank 1, otherwise the longer loses it. Call inside `tf.tidy`.
 * @internal
 */
export function squeezeOrExpand(a: tf.Tensor, b: tf.Tensor): [tf.Tensor, tf.Tensor] {
  if (a.rank === b.rank + 1 && a.shape[a.rank - 1] === 1) {
    return b.rank === 1 ? [a, tf.expandDims(b, -1)] : [tf.squeeze(a, [-1]), b];
  }
  if (b.rank === a.rank + 1 && b.shape[b.rank - 1] === 1) {
    return a.rank === 1 ? [tf.expandDims(a, -1), b] : [a, tf.squeeze(b, [-1])];
  }
  return [a, b];
}

/** The shapes `squeezeOrExpand` would give, without allocating. @internal */
export function squeezedShapes(a: readonly number[], b: readonly number[]): [number[], number[]] {
  if (a.length === b.length + 1 && a[a.length - 1] === 1) {
    return b.length === 1 ? [[...a], [...b, 1]] : [a.slice(0, -1), [...b]];
  }
  if (b.length === a.length + 1 && b[b.length - 1] === 1) {
    return a.length === 1 ? [[...a, 1], [...b]] : [[...a], b.slice(0, -1)];
  }
  return [[...a], [...b]];
}

/** Whether two shapes are equal. @internal */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Throws a `ConfigError` unless `value` is one of `allowed` (strings or null), naming them. @internal */
export function checkChoice<T extends string | null>(who: string, key: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    const list = allowed.map((a) => (a === null ? 'null' : `'${a}'`)).join(', ');
    throw new ConfigError(`${who}: ${key} must be one of ${list}; got ${describe(value)}.`);
  }
  return value as T;
}

/**
 * Throws a `ShapeError` unless `yTrue` holds integer class ids for
 * `yPred` `[batch, ..., classes]`: shape `[batch, ...]`, or that with a
 * trailing 1. `oneHot` names the metric to use for one-hot targets.
 * Allocates nothing.
 * @internal
 */
export function checkSparseIds(name: string, yTrue: tf.Tensor, yPred: tf.Tensor, oneHot: string): void {
  const lead = yPred.shape.slice(0, -1);
  const t = yTrue.shape;
  const sameLead = (n: number) => t.length === n && lead.every((d, i) => d === t[i]);
  const ok = yPred.rank >= 2 && (sameLead(lead.length) || (sameLead(lead.length + 1) && t[t.length - 1] === 1));
  if (!ok) {
    throw new ShapeError(
      `${name}: expected integer class ids yTrue of shape [${lead.join(', ')}] (or [${[...lead, 1].join(', ')}]) ` +
        `for yPred [batch, ..., classes]; got yTrue ${describe(yTrue)} and yPred ${describe(yPred)}. ` +
        `For one-hot targets use ${oneHot}().`,
    );
  }
}
