import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, ShapeError, StateError} from '@trellis/core';
import {expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {scaleByAdam, type ScaleByAdamState} from './scale-by-adam';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('scaleByAdam', () => {
  it('keeps {count, mu, nu} keyed by name and follows Keras in float64', () => {
    const b1 = 0.8;
    const b2 = 0.95;
    const eps = 1e-3;
    const t = scaleByAdam({beta1: b1, beta2: b2, epsilon: eps});
    const p = {'dense/bias': tf.zeros([3])};
    let state: ScaleByAdamState = t.init(p);
    expect(state.count).toBe(0);
    expect(Object.keys(state.mu)).toEqual(['dense/bias']);
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    const rows = [
      [1, -0.01, 3],
      [0.5, 0.02, -1],
      [-2, 0.001, 0.5],
    ];
    rows.forEach((row, i) => {
      const g = {'dense/bias': tf.tensor1d(row)};
      const r = t.update(g, state);
      const step = i + 1;
      const c = Math.sqrt(1 - Math.fround(b2) ** step) / (1 - Math.fround(b1) ** step);
      row.forEach((x, k) => {
        m[k] = b1 * m[k]! + (1 - b1) * x;
        v[k] = b2 * v[k]! + (1 - b2) * x * x;
      });
      const expected = m.map((mk, k) => (c * mk) / (Math.sqrt(v[k]!) + eps));
      Array.from(r.updates['dense/bias']!.dataSync()).forEach((x, k) =>
        expect(Math.abs(x - expected[k]!)).toBeLessThan(1e-5 * Math.abs(expected[k]!) + 1e-7),
      );
      Array.from(r.state.nu['dense/bias']!.dataSync()).forEach((x, k) => expect(x).toBeCloseTo(v[k]!, 6));
      expect(r.state.count).toBe(step);
      tf.dispose([g['dense/bias'], ...Object.values(r.updates), ...Object.values(state.mu), ...Object.values(state.nu)]);
      state = r.state;
    });
    tf.dispose([p['dense/bias'], ...Object.values(state.mu), ...Object.values(state.nu)]);
  });

  it('throws typed errors for bad state, leaking nothing', async () => {
    const t = scaleByAdam();
    const state = t.init({w: tf.zeros([2])});
    const g = {w: tf.ones([2])};
    expect(() => t.update({v: g.w}, state)).toThrow(StateError);
    expect(() => t.update({v: g.w}, state)).toThrow(/no mu slot for variable 'v'/);
    expect(() => t.update({w: tf.ones([2, 1])}, state)).toThrow(ShapeError);
    expect(() => t.update(g, {...state, count: 'x'} as never)).toThrow(/state.count must be an integer/);
    expect(() => t.update(g, {count: 0, mu: state.mu} as never)).toThrow(/state.nu must be slot tensors/);
    await expectNoNewTensors(() => t.update({v: g.w}, state));
    tf.dispose([g.w, ...Object.values(state.mu), ...Object.values(state.nu)]);
  });

  it('validates its options', () => {
    expect(() => scaleByAdam({beta1: 1})).toThrow(ConfigError);
    expect(() => scaleByAdam({epsilon: -1})).toThrow(/epsilon must be a finite number >= 0/);
    expect(() => scaleByAdam({eps: 1} as never)).toThrow(/does not know the option 'eps'/);
  });
});
