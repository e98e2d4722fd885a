import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError} from '@trellis/core';
import {expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {clipByNorm} from './clip-by-norm';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Keras' `_clip_by_norm` in float64. */
function clip64(g: number[], maxNorm: number): number[] {
  const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
  return g.map((x) => (x * maxNorm) / Math.max(norm, maxNorm));
}

describe('clipByNorm', () => {
  it('rescales each update to L2 norm <= maxNorm on its own (float64 reference)', () => {
    const a = [3, -4, 0.5, 12];
    const b = [0.01, -0.02];
    const g = {a: tf.tensor2d(a, [2, 2]), b: tf.tensor1d(b)};
    const {updates, state} = clipByNorm(1).update(g, {});
    const got = {a: Array.from(updates.a!.dataSync()), b: Array.from(updates.b!.dataSync())};
    clip64(a, 1).forEach((x, k) => expect(got.a[k]).toBeCloseTo(x, 6));
    // Below the limit: (g * c) / c, the input up to float32 rounding.
    clip64(b, 1).forEach((x, k) => expect(Math.abs(got.b[k]! - x)).toBeLessThan(1e-9));
    expect(Math.hypot(...got.a)).toBeCloseTo(1, 6);
    expect(updates.a!.shape).toEqual([2, 2]);
    expect(state).toEqual({});
    tf.dispose([...Object.values(g), ...Object.values(updates)]);
  });

  it('leaves an all-zero update at zero (no NaN from the norm)', () => {
    const g = {z: tf.zeros([3])};
    const {updates} = clipByNorm(0.5).update(g, {});
    expect(Array.from(updates.z!.dataSync())).toEqual([0, 0, 0]);
    tf.dispose([g.z, updates.z!]);
  });

  it('validates maxNorm and leaks nothing', async () => {
    expect(() => clipByNorm(0)).toThrow(/clipByNorm: maxNorm must be a finite number > 0; got 0/);
    expect(() => clipByNorm(-2)).toThrow(ConfigError);
    expect(() => clipByNorm(Number.NaN)).toThrow(ConfigError);
    const g = {a: tf.tensor1d([3, 4])};
    await expectNoNewTensors(() => clipByNorm(1).update(g, {}));
    g.a.dispose();
  });
});
