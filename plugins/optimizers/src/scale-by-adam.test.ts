import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, ShapeError, StateError} from '@trellis/core';
import {expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {scaleByAdam, type ScaleByAdamState} from './scale-by-adam';
import {expectCloseElementwise, updateRowByRow} from '../test/row-steps';
import {expectBadStateRefused, withPartialGradientSteps} from '../test/transform-checks';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('scaleByAdam', () => {
  it('keeps {count, mu, nu} keyed by name and follows Keras in float64', () => {
    const b1 = 0.8;
    const b2 = 0.95;
    const eps = 1e-3;
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    const rows = [
      [1, -0.01, 3],
      [0.5, 0.02, -1],
      [-2, 0.001, 0.5],
    ];
    updateRowByRow<ScaleByAdamState>(scaleByAdam({beta1: b1, beta2: b2, epsilon: eps}), rows, {
      initial: (state) => {
        expect(state.count).toBe(0);
        expect(Object.keys(state.mu)).toEqual(['dense/bias']);
      },
      step: (update, state, step, row) => {
        const c = Math.sqrt(1 - Math.fround(b2) ** step) / (1 - Math.fround(b1) ** step);
        row.forEach((x, k) => {
          m[k] = b1 * m[k]! + (1 - b1) * x;
          v[k] = b2 * v[k]! + (1 - b2) * x * x;
        });
        expectCloseElementwise(
          update,
          m.map((mk, k) => (c * mk) / (Math.sqrt(v[k]!) + eps)),
          1e-5,
          1e-7,
        );
        Array.from(state.nu['dense/bias']!.dataSync()).forEach((x, k) => expect(x).toBeCloseTo(v[k]!, 6));
        expect(state.count).toBe(step);
      },
    });
  });

  it('throws typed errors for bad state, leaking nothing', async () => {
    const t = scaleByAdam();
    await expectBadStateRefused(t, (state, g) => {
      expect(() => t.update({v: g.w}, state)).toThrow(/no mu slot for variable 'v'/);
      expect(() => t.update({w: tf.ones([2, 1])}, state)).toThrow(ShapeError);
      expect(() => t.update(g, {...state, count: 'x'} as never)).toThrow(/state.count must be an integer/);
      expect(() => t.update(g, {count: 0, mu: state.mu} as never)).toThrow(/state.nu must be slot tensors/);
    });
  });

  it('validates its options', () => {
    expect(() => scaleByAdam({beta1: 1})).toThrow(ConfigError);
    expect(() => scaleByAdam({epsilon: -1})).toThrow(/epsilon must be a finite number > 0/);
    expect(() => scaleByAdam({epsilon: 0})).toThrow(ConfigError);
    expect(() => scaleByAdam({epsilon: 0})).toThrow(/epsilon must be a finite number > 0; got 0/);
    expect(() => scaleByAdam({amsgrad: 1} as never)).toThrow(/amsgrad must be true or false/);
    expect(() => scaleByAdam({epsilonAfterCorrection: 'yes'} as never)).toThrow(/epsilonAfterCorrection must be true or false/);
    expect(() => scaleByAdam({eps: 1} as never)).toThrow(/does not know the option 'eps'/);
  });
});

/** Float64 Adam moments over `rows` of one 3-element variable; returns the expected outputs per step. */
function adamRows64(rows: number[][], options: {b1: number; b2: number; eps: number; amsgrad: boolean; afterCorrection: boolean}) {
  const {b1, b2, eps} = options;
  const m = [0, 0, 0];
  const v = [0, 0, 0];
  const vMax = [0, 0, 0];
  return rows.map((row, i) => {
    const t = i + 1;
    const c1 = 1 - Math.fround(Math.fround(b1) ** t);
    const c2 = 1 - Math.fround(Math.fround(b2) ** t);
    row.forEach((x, k) => {
      m[k] = b1 * m[k]! + (1 - b1) * x;
      v[k] = b2 * v[k]! + (1 - b2) * x * x;
      vMax[k] = Math.max(vMax[k]!, v[k]!);
    });
    const denominator = options.amsgrad ? vMax : v;
    const out = m.map((mk, k) =>
      options.afterCorrection
        ? mk / c1 / (Math.sqrt(denominator[k]! / c2) + eps)
        : ((Math.sqrt(c2) / c1) * mk) / (Math.sqrt(denominator[k]!) + eps),
    );
    return {out, vMax: [...vMax]};
  });
}

describe('scaleByAdam options', () => {
  // The second moment shrinks after the large first gradient, so the maximum
  // differs from v from step 2 on.
  const rows = [
    [2, -0.01, 3],
    [0.1, 0.02, -0.05],
    [-0.2, 0.001, 0.05],
    [0.05, -0.3, 0.01],
  ];

  it.each([[{amsgrad: true, afterCorrection: false}], [{amsgrad: false, afterCorrection: true}], [{amsgrad: true, afterCorrection: true}]])(
    '%j follows Keras in float64, with nuMax keyed by name',
    ({amsgrad, afterCorrection}) => {
      const options = {b1: 0.8, b2: 0.95, eps: 1e-3, amsgrad, afterCorrection};
      const t = scaleByAdam({beta1: 0.8, beta2: 0.95, epsilon: 1e-3, amsgrad, epsilonAfterCorrection: afterCorrection});
      const expected = adamRows64(rows, options);
      const plain = adamRows64(rows, {...options, amsgrad: false, afterCorrection: false});
      updateRowByRow<ScaleByAdamState>(t, rows, {
        initial: (state) => expect(Object.keys(state).sort()).toEqual(amsgrad ? ['count', 'mu', 'nu', 'nuMax'] : ['count', 'mu', 'nu']),
        step: (got, state, step) => {
          const i = step - 1;
          expectCloseElementwise(got, expected[i]!.out, 1e-5, 1e-7);
          if (amsgrad) {
            expect(Object.keys(state.nuMax!)).toEqual(['dense/bias']);
            Array.from(state.nuMax!['dense/bias']!.dataSync()).forEach((x, k) => expect(x).toBeCloseTo(expected[i]!.vMax[k]!, 6));
          }
          // The option changes the result (not a no-op) from the second step on.
          if (i >= 1) expect(Math.max(...got.map((x, k) => Math.abs(x - plain[i]!.out[k]!)))).toBeGreaterThan(1e-3);
        },
      });
    },
  );

  it('amsgrad: a variable without a gradient keeps its nuMax; a missing nuMax is a StateError', async () => {
    const t = scaleByAdam({amsgrad: true});
    await withPartialGradientSteps(t, async (s0, s1, s2, g) => {
      expect(Array.from(s2.state.nuMax!.b!.dataSync())).toEqual(Array.from(s1.state.nuMax!.b!.dataSync()));
      expect(s2.state.nuMax!.b).not.toBe(s1.state.nuMax!.b);
      expect(() => t.update(g, {count: 0, mu: s0.mu, nu: s0.nu})).toThrow(StateError);
      expect(() => t.update(g, {count: 0, mu: s0.mu, nu: s0.nu})).toThrow(/state.nuMax must be slot tensors/);
      await expectNoNewTensors(() => t.update(g, {count: 0, mu: s0.mu, nu: s0.nu}));
    });
  });
});
