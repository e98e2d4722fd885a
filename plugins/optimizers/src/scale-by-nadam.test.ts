import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, ShapeError, StateError, tensorsIn} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {against64} from '../test/keras64-harness';
import {nadam64} from '../test/keras64';
import {chain} from './chain';
import {scaleByLearningRate} from './scale-by-learning-rate';
import {scaleByNadam, type ScaleByNadamState} from './scale-by-nadam';
import {expectBadStateRefused, withPartialGradientSteps} from '../test/transform-checks';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('scaleByNadam', () => {
  it('follows Keras in float64 step by step, with uProduct a host number', () => {
    const b1 = 0.8;
    const b2 = 0.95;
    const eps = 1e-3;
    const t = scaleByNadam({beta1: b1, beta2: b2, epsilon: eps});
    const p = {'dense/bias': tf.zeros([3])};
    let state: ScaleByNadamState = t.init(p);
    expect(state).toMatchObject({count: 0, uProduct: 1});
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    let product = 1;
    const u = (step: number) => b1 * (1 - 0.5 * 0.96 ** step);
    const rows = [
      [1, -0.01, 3],
      [0.5, 0.02, -1],
      [-2, 0.001, 0.5],
      [0.3, -0.2, 0.1],
    ];
    rows.forEach((row, i) => {
      const step = i + 1;
      const g = {'dense/bias': tf.tensor1d(row)};
      const r = t.update(g, state);
      product *= u(step);
      row.forEach((x, k) => {
        m[k] = b1 * m[k]! + (1 - b1) * x;
        v[k] = b2 * v[k]! + (1 - b2) * x * x;
      });
      const expected = m.map((mk, k) => {
        const mHat = (u(step + 1) * mk) / (1 - product * u(step + 1)) + ((1 - u(step)) * row[k]!) / (1 - product);
        return mHat / (Math.sqrt(v[k]! / (1 - b2 ** step)) + eps);
      });
      Array.from(r.updates['dense/bias']!.dataSync()).forEach((x, k) =>
        expect(Math.abs(x - expected[k]!)).toBeLessThan(1e-5 * Math.abs(expected[k]!) + 1e-7),
      );
      expect(r.state.count).toBe(step);
      expect(typeof r.state.uProduct).toBe('number');
      // Held in float32, as Keras' u_product variable.
      expect(r.state.uProduct).toBe(Math.fround(r.state.uProduct));
      expect(Math.abs(r.state.uProduct - product)).toBeLessThan(1e-7);
      tf.dispose([g['dense/bias'], ...Object.values(r.updates), ...tensorsIn(state)]);
      state = r.state;
    });
    tf.dispose([p['dense/bias'], ...tensorsIn(state)]);
  });

  it('chained with a learning rate follows a float64 Keras Nadam for 30 steps', () => {
    const {error, moved} = against64(
      chain(scaleByNadam(), scaleByLearningRate(0.01)),
      nadam64({lr: () => 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7}),
      30,
      'fixed',
    );
    expect(moved).toBeGreaterThan(0.1);
    expect(error).toBeLessThan(1e-5);
  });

  it('advances uProduct and carries the slots of a variable without a gradient', async () => {
    const t = scaleByNadam();
    await withPartialGradientSteps(t, (_s0, s1, s2) => {
      expect(s2.state.uProduct).toBeLessThan(s1.state.uProduct);
      expect(Array.from(s2.state.mu.b!.dataSync())).toEqual(Array.from(s1.state.mu.b!.dataSync()));
      expect(Array.from(s2.state.nu.b!.dataSync())).toEqual(Array.from(s1.state.nu.b!.dataSync()));
    });
  });

  it('throws typed errors for bad state, leaking nothing', async () => {
    const t = scaleByNadam();
    await expectBadStateRefused(t, (state, g) => {
      expect(() => t.update({w: tf.ones([3])}, state)).toThrow(ShapeError);
      expect(() => t.update(g, {...state, uProduct: 2})).toThrow(
        /state.uProduct must be a number in \[0, 1\] \(the product of the momentum schedule\); got 2/,
      );
      expect(() => t.update(g, {count: 0, mu: state.mu, nu: state.nu} as never)).toThrow(StateError);
    });
  });

  it('validates its options', () => {
    expect(() => scaleByNadam({beta1: 1})).toThrow(ConfigError);
    expect(() => scaleByNadam({beta2: 2})).toThrow(/beta2 must be a finite number in \[0, 1\)/);
    expect(() => scaleByNadam({epsilon: -1e-7})).toThrow(/epsilon must be a finite number > 0/);
    expect(() => scaleByNadam({scheduleDecay: 0.004} as never)).toThrow(/does not know the option 'scheduleDecay'/);
  });
});
