import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, ShapeError, StateError} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {itFollowsKeras64WhenChained} from '../test/keras64-harness';
import {nadam64} from '../test/keras64';
import {scaleByNadam, type ScaleByNadamState} from './scale-by-nadam';
import {expectCloseElementwise, updateRowByRow} from '../test/row-steps';
import {expectBadStateRefused, withPartialGradientSteps} from '../test/transform-checks';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('scaleByNadam', () => {
  it('follows Keras in float64 step by step, with uProduct a host number', () => {
    const b1 = 0.8;
    const b2 = 0.95;
    const eps = 1e-3;
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
    updateRowByRow<ScaleByNadamState>(scaleByNadam({beta1: b1, beta2: b2, epsilon: eps}), rows, {
      initial: (state) => expect(state).toMatchObject({count: 0, uProduct: 1}),
      step: (update, state, step, row) => {
        product *= u(step);
        row.forEach((x, k) => {
          m[k] = b1 * m[k]! + (1 - b1) * x;
          v[k] = b2 * v[k]! + (1 - b2) * x * x;
        });
        const expected = m.map((mk, k) => {
          const mHat = (u(step + 1) * mk) / (1 - product * u(step + 1)) + ((1 - u(step)) * row[k]!) / (1 - product);
          return mHat / (Math.sqrt(v[k]! / (1 - b2 ** step)) + eps);
        });
        expectCloseElementwise(update, expected, 1e-5, 1e-7);
        expect(state.count).toBe(step);
        expect(typeof state.uProduct).toBe('number');
        // Held in float32, as Keras' u_product variable.
        expect(state.uProduct).toBe(Math.fround(state.uProduct));
        expect(Math.abs(state.uProduct - product)).toBeLessThan(1e-7);
      },
    });
  });

  itFollowsKeras64WhenChained('Nadam', scaleByNadam(), 0.01, nadam64({lr: () => 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7}), 1e-5);

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
