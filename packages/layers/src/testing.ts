/**
 * Test helpers for this package (not exported): a minimal build context that
 * creates `tf.variable`s, as a model would, and numeric comparison.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {BuildContext, CallContext, WeightRequest} from '@trellis/core';

let contexts = 0;

/** A build context whose variables the test owns; call `dispose()` at the end. */
export interface TestBuildContext extends BuildContext {
  /** Variables by weight name (`kernel`, `bias`). */
  readonly weights: Map<string, tf.Variable>;
  /** Requests as received, for assertions. */
  readonly requests: WeightRequest[];
  dispose(): void;
}

/** Creates variables named `test<n>/<layer>/<weight>` (unique per context: tfjs names are global). */
export function createBuildContext(layerName = 'layer', seed = 1234): TestBuildContext {
  const prefix = `test${++contexts}/${layerName}`;
  const weights = new Map<string, tf.Variable>();
  const requests: WeightRequest[] = [];
  let seeds = seed;
  return {
    weights,
    requests,
    addWeight(request) {
      requests.push(request);
      const initial = request.initializer([...request.shape], request.dtype ?? 'float32', seeds++);
      const variable = tf.variable(initial, request.trainable ?? true, `${prefix}/${request.name}`);
      initial.dispose();
      weights.set(request.name, variable);
      return variable;
    },
    dispose() {
      for (const v of weights.values()) v.dispose();
      weights.clear();
    },
  };
}

/** A call context with a deterministic seed stream starting at `seed`. */
export function callContext(training: boolean, seed = 7): CallContext {
  let next = seed;
  return {training, nextSeed: () => next++};
}

/** `n` float32-representable values uniform in [lo, hi). */
export function uniform(random: () => number, n: number, lo: number, hi: number): number[] {
  return Array.from({length: n}, () => Math.fround(lo + (hi - lo) * random()));
}

/**
 * The largest `|a - e| / (rtol·|e| + atol)` over all elements: ≤ 1 means every
 * element is within `rtol` relative error (or `atol` absolute, near zero).
 */
export function closeness(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(a) !== Number.isNaN(e)) return Infinity;
    if (Number.isNaN(a)) continue;
    const r = Math.abs(a - e) / (rtol * Math.abs(e) + atol);
    if (!(r <= worst)) worst = r;
  }
  return worst;
}

/** The largest relative error `|a - e| / |e|` (for reporting). */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i]!;
    const err = Math.abs(actual[i]! - e) / Math.max(Math.abs(e), 1e-30);
    if (err > worst) worst = err;
  }
  return worst;
}
