/**
 * Walking, cloning and comparing state trees.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {StateTree} from './spec/state';

/** Every tensor in a state tree, in a stable order. */
export function tensorsIn(tree: StateTree | undefined, out: tf.Tensor[] = []): tf.Tensor[] {
  if (tree === undefined || typeof tree === 'number') return out;
  if (tree instanceof tf.Tensor) {
    out.push(tree);
  } else if (Array.isArray(tree)) {
    for (const child of tree) tensorsIn(child as StateTree, out);
  } else {
    for (const key of Object.keys(tree).sort()) tensorsIn((tree as Record<string, StateTree>)[key], out);
  }
  return out;
}

/** A deep copy whose tensors are new clones owned by the caller. */
export function cloneTree<S extends StateTree>(tree: S): S {
  if (typeof tree === 'number') return tree;
  if (tree instanceof tf.Tensor) return tf.clone(tree) as S;
  if (Array.isArray(tree)) return tree.map((c) => cloneTree(c as StateTree)) as unknown as S;
  const out: Record<string, StateTree> = {};
  for (const [k, v] of Object.entries(tree)) out[k] = cloneTree(v as StateTree);
  return out as S;
}

/** Disposes the tensors of `old` that `keep` does not also hold. */
export function disposeReplaced(old: StateTree | undefined, keep: StateTree | undefined): void {
  const kept = new Set(tensorsIn(keep));
  for (const t of tensorsIn(old)) if (!kept.has(t) && !t.isDisposed) t.dispose();
}

/**
 * The first difference in structure between two trees (keys, array lengths,
 * tensor shapes and dtypes, numbers vs tensors), as a readable path, or null.
 */
export function treeMismatch(expected: StateTree, actual: unknown, path = 'state'): string | null {
  if (typeof expected === 'number') {
    return typeof actual === 'number' ? null : `${path}: expected a number, got ${kindOf(actual)}`;
  }
  if (expected instanceof tf.Tensor) {
    if (!(actual instanceof tf.Tensor)) return `${path}: expected a tensor, got ${kindOf(actual)}`;
    if (actual.isDisposed) return `${path}: the tensor is disposed`;
    if (actual.dtype !== expected.dtype || !tf.util.arraysEqual(actual.shape, expected.shape)) {
      return `${path}: expected [${expected.shape.join(', ')}] ${expected.dtype}, got [${actual.shape.join(', ')}] ${actual.dtype}`;
    }
    return null;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${kindOf(actual)}`;
    if (actual.length !== expected.length) {
      return `${path}: expected ${expected.length} entries, got ${actual.length}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const m = treeMismatch(expected[i] as StateTree, actual[i], `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual) || actual instanceof tf.Tensor) {
    return `${path}: expected an object, got ${kindOf(actual)}`;
  }
  const want = Object.keys(expected).sort();
  const got = Object.keys(actual).sort();
  const missing = want.filter((k) => !got.includes(k));
  const extra = got.filter((k) => !want.includes(k));
  if (missing.length || extra.length) {
    return `${path}: ${missing.length ? `missing ${missing.map((k) => `'${k}'`).join(', ')}` : ''}${
      missing.length && extra.length ? '; ' : ''
    }${extra.length ? `unexpected ${extra.map((k) => `'${k}'`).join(', ')}` : ''}`;
  }
  for (const k of want) {
    const m = treeMismatch((expected as Record<string, StateTree>)[k]!, (actual as Record<string, unknown>)[k], `${path}.${k}`);
    if (m) return m;
  }
  return null;
}

function kindOf(v: unknown): string {
  if (v instanceof tf.Tensor) return `a tensor [${v.shape.join(', ')}]`;
  if (Array.isArray(v)) return 'an array';
  return v === null ? 'null' : typeof v;
}

/**
 * Runs `fn` in `tf.tidy` and keeps every tensor of the tree it returns
 * (intermediates are disposed). The tree's tensors belong to the caller.
 */
export function keepTree<S extends StateTree>(fn: () => S): S {
  return (tf.tidy(() => ({tree: fn() as unknown as tf.TensorContainer})) as unknown as {tree: S}).tree;
}

/**
 * `old` with the parts only `fresh` has: walks both trees and, in every
 * record, keeps `old`'s entries and adds those of `fresh` that `old` lacks
 * (the slots of variables the state did not cover yet); arrays of the same
 * length are walked entry by entry. Tensors and numbers of `old` are kept. Returns a new tree that shares
 * tensors with both; the caller disposes the tensors of `fresh` that it
 * does not hold (`disposeReplaced(fresh, result)`).
 */
export function extendTree(old: StateTree, fresh: StateTree): StateTree {
  if (Array.isArray(old)) {
    const list = fresh as readonly StateTree[];
    return Array.isArray(list) && list.length === old.length ? old.map((child, i) => extendTree(child as StateTree, list[i]!)) : old;
  }
  if (typeof old === 'number' || old instanceof tf.Tensor) return old;
  if (fresh === null || typeof fresh !== 'object' || fresh instanceof tf.Tensor || Array.isArray(fresh)) return old;
  const out: Record<string, StateTree> = {};
  const oldRecord = old as Record<string, StateTree>;
  const freshRecord = fresh as Record<string, StateTree>;
  for (const [key, value] of Object.entries(oldRecord)) out[key] = key in freshRecord ? extendTree(value, freshRecord[key]!) : value;
  for (const [key, value] of Object.entries(freshRecord)) if (!(key in oldRecord)) out[key] = value;
  return out;
}
