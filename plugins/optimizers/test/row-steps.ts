/**
 * Hand-worked formula checks of a gradient transform: one variable
 * `dense/bias` (`[3]`, starting at zero) updated with one gradient row per
 * step, each output compared with a float64 expectation.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {tensorsIn, type GradientTransform, type StateTree} from '@trellis/core';
import {expect} from 'vitest';

/** What {@link updateRowByRow} shows the test: the state after `init`, each step, and the last state. */
export interface RowSteps<S extends StateTree> {
  /** The state `init` made, before any update. */
  readonly initial?: (state: S) => void;
  /** Step `step` (1-based) with gradient `row`: the update's values and the new state. */
  readonly step: (update: number[], state: S, step: number, row: readonly number[]) => void;
  /** The state after the last row, before it is freed. */
  readonly last?: (state: S) => void;
}

/**
 * Initializes `t` for `dense/bias` (zeros `[3]`) and updates it with each of
 * `rows` as the gradient in turn, calling `checks` on the way; frees every
 * tensor it made (gradients, updates, states) once the checks have run.
 */
export function updateRowByRow<S extends StateTree>(
  t: GradientTransform<S>,
  rows: readonly (readonly number[])[],
  checks: RowSteps<S>,
): void {
  const p = {'dense/bias': tf.zeros([3])};
  let state = t.init(p);
  checks.initial?.(state);
  rows.forEach((row, i) => {
    const g = {'dense/bias': tf.tensor1d([...row])};
    const r = t.update(g, state);
    checks.step(Array.from(r.updates['dense/bias']!.dataSync()), r.state, i + 1, row);
    tf.dispose([g['dense/bias'], ...Object.values(r.updates), ...tensorsIn(state)]);
    state = r.state;
  });
  checks.last?.(state);
  tf.dispose([p['dense/bias'], ...tensorsIn(state)]);
}

/** Every `got[k]` is within `relative · |expected[k]| + absolute` of `expected[k]`. */
export function expectCloseElementwise(got: readonly number[], expected: readonly number[], relative: number, absolute: number): void {
  got.forEach((x, k) => expect(Math.abs(x - expected[k]!)).toBeLessThan(relative * Math.abs(expected[k]!) + absolute));
}
