import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError} from '@trellis/core';
import {expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {clipByGlobalNorm} from './clip-by-global-norm';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('clipByGlobalNorm', () => {
  it('rescales all updates together to global norm <= maxNorm (float64 reference)', () => {
    const a = [3, -4, 0.5, 12];
    const b = [1, -2];
    const g = {a: tf.tensor2d(a, [2, 2]), b: tf.tensor1d(b)};
    const norm = Math.sqrt([...a, ...b].reduce((s, x) => s + x * x, 0));
    for (const maxNorm of [2, 100]) {
      const scale = maxNorm * Math.min(1 / norm, 1 / maxNorm);
      const {updates} = clipByGlobalNorm(maxNorm).update(g, {});
      Array.from(updates.a!.dataSync()).forEach((x, k) => expect(x).toBeCloseTo(a[k]! * scale, 5));
      Array.from(updates.b!.dataSync()).forEach((x, k) => expect(x).toBeCloseTo(b[k]! * scale, 5));
      tf.dispose(Object.values(updates));
    }
    const {updates} = clipByGlobalNorm(2).update(g, {});
    const all = [...updates.a!.dataSync(), ...updates.b!.dataSync()];
    expect(Math.sqrt(all.reduce((s, x) => s + x * x, 0))).toBeCloseTo(2, 5);
    tf.dispose([...Object.values(g), ...Object.values(updates)]);
  });

  it('keeps zeros at zero and turns everything NaN for an infinite norm, as Keras', () => {
    const zeros = {a: tf.zeros([2]), b: tf.zeros([1])};
    const z = clipByGlobalNorm(1).update(zeros, {});
    expect([...z.updates.a!.dataSync(), ...z.updates.b!.dataSync()]).toEqual([0, 0, 0]);
    const inf = {a: tf.tensor1d([Number.POSITIVE_INFINITY, 1]), b: tf.tensor1d([2])};
    const n = clipByGlobalNorm(1).update(inf, {});
    expect([...n.updates.a!.dataSync(), ...n.updates.b!.dataSync()].every(Number.isNaN)).toBe(true);
    tf.dispose([...Object.values(zeros), ...Object.values(z.updates), ...Object.values(inf), ...Object.values(n.updates)]);
  });

  it('takes an empty step, validates maxNorm and leaks nothing', async () => {
    expect(clipByGlobalNorm(1).update({}, {}).updates).toEqual({});
    expect(() => clipByGlobalNorm(0)).toThrow(/clipByGlobalNorm: maxNorm must be a finite number > 0; got 0/);
    expect(() => clipByGlobalNorm(-1)).toThrow(ConfigError);
    const g = {a: tf.tensor1d([3, 4]), b: tf.tensor1d([12])};
    await expectNoNewTensors(() => clipByGlobalNorm(1).update(g, {}));
    tf.dispose(Object.values(g));
  });
});
