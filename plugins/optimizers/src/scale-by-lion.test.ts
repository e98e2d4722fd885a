import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, ShapeError, tensorsIn} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {itFollowsKeras64WhenChained} from '../test/keras64-harness';
import {lion64} from '../test/keras64';
import {scaleByLion, type ScaleByLionState} from './scale-by-lion';
import {updateRowByRow} from '../test/row-steps';
import {expectBadStateRefused, withPartialGradientSteps} from '../test/transform-checks';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('scaleByLion', () => {
  it('emits sign(beta1 m + (1 - beta1) g) and keeps m = beta2 m + (1 - beta2) g, keyed by name', () => {
    const m = [0, 0, 0];
    // Step 2's first element: 0.5·0.1 + 0.5·(-0.05) > 0 though the gradient is negative.
    const rows = [
      [1, -0.01, 0],
      [-0.05, 0.02, -1],
      [-2, 0.001, 0.5],
    ];
    const signs: number[][] = [];
    updateRowByRow<ScaleByLionState>(scaleByLion({beta1: 0.5, beta2: 0.9}), rows, {
      initial: (state) => expect(Object.keys(state)).toEqual(['mu']),
      step: (update, state, _step, row) => {
        signs.push(update);
        const expected = row.map((x, k) => Math.sign(0.5 * m[k]! + 0.5 * x));
        row.forEach((x, k) => (m[k] = 0.9 * m[k]! + 0.1 * x));
        expect(signs.at(-1)).toEqual(expected);
        Array.from(state.mu['dense/bias']!.dataSync()).forEach((x, k) => expect(x).toBeCloseTo(m[k]!, 7));
      },
    });
    expect(signs[0]).toEqual([1, -1, 0]);
    expect(signs[1]![0]).toBe(1);
  });

  itFollowsKeras64WhenChained('Lion', scaleByLion(), 0.01, lion64({lr: () => 0.01, beta1: 0.9, beta2: 0.99}), 1e-6);

  it('gives ±1 for tiny values, 0 for 0 and NaN for NaN (no threshold)', () => {
    const t = scaleByLion({beta1: 0.5});
    const w = tf.zeros([5]);
    const s0 = t.init({w});
    const g = {w: tf.tensor1d([1e-30, -1e-8, 0, NaN, Infinity])};
    const r = t.update(g, s0);
    expect(Array.from(r.updates.w!.dataSync())).toEqual([1, -1, 0, NaN, 1]);
    tf.dispose([w, g.w, ...tensorsIn(s0), ...Object.values(r.updates), ...tensorsIn(r.state)]);
  });

  it('accepts beta1 = 1 (sign of the momentum) as Keras does', () => {
    const t = scaleByLion({beta1: 1});
    const w = tf.zeros([2]);
    const s0 = t.init({w});
    const g = {w: tf.tensor1d([1, -1])};
    const s1 = t.update(g, s0);
    expect(Array.from(s1.updates.w!.dataSync())).toEqual([0, 0]);
    const s2 = t.update(g, s1.state);
    expect(Array.from(s2.updates.w!.dataSync())).toEqual([1, -1]);
    tf.dispose([
      w,
      g.w,
      ...tensorsIn(s0),
      ...tensorsIn(s1.state),
      ...tensorsIn(s2.state),
      ...Object.values(s1.updates),
      ...Object.values(s2.updates),
    ]);
  });

  it('carries the slot of a variable without a gradient', async () => {
    const t = scaleByLion();
    await withPartialGradientSteps(t, (_s0, s1, s2) => {
      expect(Object.keys(s2.updates)).toEqual(['a']);
      expect(Array.from(s2.state.mu.b!.dataSync())).toEqual(Array.from(s1.state.mu.b!.dataSync()));
    });
  });

  it('throws typed errors for bad state, leaking nothing', async () => {
    const t = scaleByLion();
    await expectBadStateRefused(t, (state, g) => {
      expect(() => t.update({v: g.w}, state)).toThrow(/scaleByLion: no mu slot for variable 'v'/);
      expect(() => t.update({w: tf.ones([1, 2])}, state)).toThrow(ShapeError);
      expect(() => t.update(g, {} as never)).toThrow(/state.mu must be slot tensors/);
    });
  });

  it('validates its options as Keras does (beta1 in (0, 1])', () => {
    expect(() => scaleByLion({beta1: 0})).toThrow(ConfigError);
    expect(() => scaleByLion({beta1: 0})).toThrow(/beta1 must be a finite number in \(0, 1\]; got 0/);
    expect(() => scaleByLion({beta1: 1.5})).toThrow(ConfigError);
    expect(() => scaleByLion({beta2: 1})).toThrow(/beta2 must be a finite number in \[0, 1\)/);
    expect(() => scaleByLion({epsilon: 1e-7} as never)).toThrow(/does not know the option 'epsilon'/);
  });
});
