/**
 * Checks every slot-keeping gradient transform's tests share: two steps where
 * the second leaves a variable without a gradient, and the refusal of a bad
 * state without a leaked tensor.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {StateError, tensorsIn, type GradientTransform, type StateTree, type TransformResult} from '@trellis/core';
import {expectNoNewTensors} from '@trellis/testing';
import {expect} from 'vitest';

/**
 * Two updates of `t` over variables `a` and `b` (`[2]` each): the first with
 * gradients for both, the second for `a` only. `check` sees the initial state,
 * both results and the first gradients; every tensor is freed afterwards.
 */
export async function withPartialGradientSteps<S extends StateTree>(
  t: GradientTransform<S>,
  check: (s0: S, s1: TransformResult<S>, s2: TransformResult<S>, g: Record<'a' | 'b', tf.Tensor>) => void | Promise<void>,
): Promise<void> {
  const params = {a: tf.zeros([2]), b: tf.zeros([2])};
  const s0 = t.init(params);
  const g = {a: tf.tensor1d([1, -2]), b: tf.tensor1d([3, 4])};
  const s1 = t.update(g, s0);
  const s2 = t.update({a: g.a}, s1.state);
  await check(s0, s1, s2, g);
  tf.dispose([
    ...Object.values(params),
    ...Object.values(g),
    ...tensorsIn(s0),
    ...tensorsIn(s1.state),
    ...tensorsIn(s2.state),
    ...Object.values(s1.updates),
    ...Object.values(s2.updates),
  ]);
}

/**
 * Checks that `t`, with the state of one variable `w` (`[2]`), refuses a
 * gradient for an unknown variable `v` with a StateError, runs `check` on that
 * state and the gradient `{w: ones([2])}`, then checks that the refused
 * update of `v` and of each of `leakFree` leaks no tensor; frees them all.
 */
export async function expectBadStateRefused<S extends StateTree>(
  t: GradientTransform<S>,
  check: (state: S, g: {w: tf.Tensor}) => void,
  leakFree: readonly Record<string, tf.Tensor>[] = [],
): Promise<void> {
  const state = t.init({w: tf.zeros([2])});
  const g = {w: tf.ones([2])};
  expect(() => t.update({v: g.w}, state)).toThrow(StateError);
  check(state, g);
  await expectNoNewTensors(() => t.update({v: g.w}, state));
  for (const gradients of leakFree) await expectNoNewTensors(() => t.update(gradients, state));
  tf.dispose([g.w, ...leakFree.flatMap((gradients) => Object.values(gradients)), ...tensorsIn(state)]);
}

/**
 * Two updates of `t` over `a/kernel` and `b/kernel` (`[2]` each): `g1` (ones, twos) for both,
 * then `g2` (ones) for `a/kernel` only. The caller checks and frees everything; `inputs` is the
 * parameters and both gradients.
 */
export function keyedPartialSteps<S extends StateTree>(t: GradientTransform<S>) {
  const params = {'a/kernel': tf.zeros([2]), 'b/kernel': tf.zeros([2])};
  const s0 = t.init(params);
  const g1 = {'a/kernel': tf.tensor1d([1, 1]), 'b/kernel': tf.tensor1d([2, 2])};
  const s1 = t.update(g1, s0);
  const g2 = {'a/kernel': tf.tensor1d([1, 1])};
  const s2 = t.update(g2, s1.state);
  return {s0, s1, s2, inputs: [...Object.values(params), ...Object.values(g1), ...Object.values(g2)]};
}
