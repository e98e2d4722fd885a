/**
 * Test helpers for this package (not exported): the layer contexts of
 * `@trellis/testing`, and numeric comparison.
 * @module
 */
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
