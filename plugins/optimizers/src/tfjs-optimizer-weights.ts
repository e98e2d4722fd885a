/**
 * Optimizer state as tfjs named weights (`getWeights`/`setWeights` of
 * {@link toTfjsOptimizer}), and growing state for new variables.
 * @module
 * @internal
 */
import * as tf from '@tensorflow/tfjs-core';
import {StateError, type StateTree} from '@trellis/core';

/** The name of the step counter among the weights (tfjs-core's convention, first entry). */
export const ITERATIONS_NAME = 'iter';

/** One leaf of a state tree: a tensor, or a host number (a step counter). */
export type StateLeaf = {
  /** The weight name (see {@link weightName}). */
  readonly name: string;
  /** The keys from the root of the tree to the leaf. */
  readonly path: readonly string[];
  readonly value: tf.Tensor | number;
};

/**
 * The weight name of a leaf at `path`. A tensor whose last key is one of the
 * `variables` is a slot: `<variable name>/<path to its record, joined by '.'>`
 * (adam's first moment of `dense/kernel`: `dense/kernel/0.mu`). Any other leaf
 * is named by its path joined by '.' (`0.count`), or `state` at the root.
 * Keys of the tree itself must not contain '/'.
 */
export function weightName(path: readonly string[], variables: ReadonlySet<string>): string {
  const last = path[path.length - 1];
  if (last !== undefined && variables.has(last)) return `${last}/${path.slice(0, -1).join('.')}`;
  return path.length === 0 ? 'state' : path.join('.');
}

/** Every leaf of `tree` with its weight name, keys in sorted order. */
export function stateLeaves(tree: StateTree, variables: ReadonlySet<string>, path: string[] = [], out: StateLeaf[] = []): StateLeaf[] {
  if (typeof tree === 'number' || tree instanceof tf.Tensor) {
    out.push({name: weightName(path, variables), path: [...path], value: tree});
  } else if (Array.isArray(tree)) {
    tree.forEach((child, i) => stateLeaves(child as StateTree, variables, [...path, String(i)], out));
  } else {
    for (const key of Object.keys(tree).sort()) {
      stateLeaves((tree as Record<string, StateTree>)[key]!, variables, [...path, key], out);
    }
  }
  return out;
}

/** The variable a slot weight belongs to (the part before the last '/'), or undefined. */
export function variableOfWeight(name: string): string | undefined {
  const cut = name.lastIndexOf('/');
  return cut === -1 ? undefined : name.slice(0, cut);
}

/** A copy of `tree` whose leaves are `replace(leaf path, old leaf)`. Makes no tensors itself. */
export function mapLeaves(
  tree: StateTree,
  replace: (path: readonly string[], leaf: tf.Tensor | number) => tf.Tensor | number,
  path: string[] = [],
): StateTree {
  if (typeof tree === 'number' || tree instanceof tf.Tensor) return replace(path, tree);
  if (Array.isArray(tree)) return tree.map((child, i) => mapLeaves(child as StateTree, replace, [...path, String(i)]));
  const out: Record<string, StateTree> = {};
  for (const [key, child] of Object.entries(tree)) out[key] = mapLeaves(child as StateTree, replace, [...path, key]);
  return out;
}

/**
 * Grows `old` by the entries of `fresh` (state made by `init` for new
 * variables only): keys of `fresh` that `old` lacks are added, everything
 * `old` has is kept (its counters and slots). Disposes nothing: the caller
 * disposes the tensors of `fresh` that the result does not hold.
 * @throws StateError when the two trees have arrays of different lengths.
 */
export function growState(old: StateTree, fresh: StateTree, path = 'state'): StateTree {
  if (Array.isArray(old) && Array.isArray(fresh)) {
    if (old.length !== fresh.length) {
      throw new StateError(
        `${path}: the state has ${old.length} entries but init made ${fresh.length}; the state was not made by this optimizer.`,
      );
    }
    return old.map((child, i) => growState(child as StateTree, fresh[i] as StateTree, `${path}[${i}]`));
  }
  if (isRecord(old) && isRecord(fresh)) {
    const out: Record<string, StateTree> = {...old};
    for (const [key, child] of Object.entries(fresh)) {
      out[key] = key in old ? growState(old[key]!, child, `${path}.${key}`) : child;
    }
    return out;
  }
  return old;
}

function isRecord(tree: StateTree): tree is Readonly<Record<string, StateTree>> {
  return typeof tree === 'object' && !(tree instanceof tf.Tensor) && !Array.isArray(tree);
}
