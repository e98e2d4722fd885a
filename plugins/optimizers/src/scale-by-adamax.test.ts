import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, ShapeError} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {itFollowsKeras64WhenChained} from '../test/keras64-harness';
import {adamax64} from '../test/keras64';
import {scaleByAdamax, type ScaleByAdamaxState} from './scale-by-adamax';
import {expectCloseElementwise, updateRowByRow} from '../test/row-steps';
import {expectBadStateRefused, withPartialGradientSteps} from '../test/transform-checks';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('scaleByAdamax', () => {
  it('computes m / ((1 - beta1^t) (u + epsilon)) with u = max(beta2 u, |g|), keyed by name', () => {
    const m = [0, 0, 0];
    const u = [0, 0, 0];
    const rows = [
      [4, -0.01, 3],
      [0.5, 0.02, -4],
      [-0.1, 0.001, 0.5],
    ];
    updateRowByRow<ScaleByAdamaxState>(scaleByAdamax({beta1: 0.8, beta2: 0.5, epsilon: 1e-3}), rows, {
      initial: (state) => {
        expect(state.count).toBe(0);
        expect(Object.keys(state.nu)).toEqual(['dense/bias']);
      },
      step: (update, state, step, row) => {
        const c1 = 1 - Math.fround(0.8) ** step;
        row.forEach((x, k) => {
          m[k] = 0.8 * m[k]! + 0.2 * x;
          u[k] = Math.max(0.5 * u[k]!, Math.abs(x));
        });
        expectCloseElementwise(
          update,
          m.map((mk, k) => mk / (c1 * (u[k]! + 1e-3))),
          1e-6,
          1e-8,
        );
        Array.from(state.nu['dense/bias']!.dataSync()).forEach((x, k) => expect(x).toBeCloseTo(u[k]!, 6));
        expect(state.count).toBe(step);
      },
      // 4, then max(0.5·4, 0.5) = 2, then max(0.5·2, 0.1) = 1: the decayed norm, not |g|.
      last: (state) => expect(state.nu['dense/bias']!.dataSync()[0]).toBeCloseTo(1, 6),
    });
  });

  itFollowsKeras64WhenChained(
    'Adamax',
    scaleByAdamax({beta1: 0.85, beta2: 0.99}),
    0.02,
    adamax64({lr: () => 0.02, beta1: 0.85, beta2: 0.99, epsilon: 1e-7}),
    1e-5,
  );

  it('carries the slots of a variable without a gradient', async () => {
    const t = scaleByAdamax();
    await withPartialGradientSteps(t, (_s0, s1, s2) => {
      expect(Object.keys(s2.updates)).toEqual(['a']);
      expect(Array.from(s2.state.nu.b!.dataSync())).toEqual([3, 4]);
      expect(Array.from(s2.state.mu.b!.dataSync())).toEqual(Array.from(s1.state.mu.b!.dataSync()));
    });
  });

  it('throws typed errors for bad state, leaking nothing', async () => {
    const t = scaleByAdamax();
    await expectBadStateRefused(t, (state, g) => {
      expect(() => t.update({v: g.w}, state)).toThrow(/scaleByAdamax: no mu slot for variable 'v'/);
      expect(() => t.update({w: tf.ones([2, 1])}, state)).toThrow(ShapeError);
      expect(() => t.update(g, {...state, count: -1})).toThrow(/state.count must be an integer/);
      expect(() => t.update(g, {count: 0, mu: state.mu} as never)).toThrow(/state.nu must be slot tensors/);
    });
  });

  it('validates its options', () => {
    expect(() => scaleByAdamax({beta1: 1})).toThrow(ConfigError);
    expect(() => scaleByAdamax({beta2: -0.1})).toThrow(/beta2 must be a finite number in \[0, 1\)/);
    expect(() => scaleByAdamax({epsilon: 0})).toThrow(/epsilon must be a finite number > 0; got 0/);
    expect(() => scaleByAdamax({decay: 0.1} as never)).toThrow(/does not know the option 'decay'/);
  });
});
