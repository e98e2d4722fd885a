/**
 * Test helpers for this package (not exported): the layer contexts of
 * `@trellis/testing`, a tensor's values, numeric comparison, and the kernel and bias entries of a spec config.
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';

export {callContext, createBuildContext, type TestBuildContext} from '@trellis/testing';

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

/**
 * The spec config entries of the kernel and bias options with `activation`,
 * a `glorotUniform` kernel seeded with `kernelSeed`, and every other option
 * at its default.
 */
export function kernelBiasSpecConfig(activation: string, kernelSeed: number) {
  return {
    activation,
    useBias: true,
    kernelInitializer: {id: 'trellis/glorotUniform', config: {seed: kernelSeed}},
    biasInitializer: {id: 'trellis/zeros', config: {}},
    kernelRegularizer: null,
    biasRegularizer: null,
    activityRegularizer: null,
    kernelConstraint: null,
    biasConstraint: null,
  };
}

/** The values of `t`, as a plain array (read synchronously; `t` stays the caller's to dispose). */
export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}
