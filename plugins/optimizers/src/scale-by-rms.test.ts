import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ShapeError} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {scaleByRms, type ScaleByRmsState} from './scale-by-rms';
import {expectConfigError} from '../test/config-errors';
import {GRADIENT_ROWS} from '../test/fixtures';
import {expectBadStateRefused, keyedPartialSteps} from '../test/transform-checks';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ROWS = GRADIENT_ROWS.slice(0, 4);

function slotTensors(state: ScaleByRmsState): tf.Tensor[] {
  return [...Object.values(state.nu), ...Object.values(state.mu ?? {})];
}

for (const centered of [false, true]) {
  describe(`scaleByRms (centered: ${centered})`, () => {
    it('follows Keras in float64 over several steps', () => {
      const rho = 0.8;
      const eps = 1e-3;
      const t = scaleByRms({rho, epsilon: eps, centered});
      const p = {'dense/bias': tf.zeros([3])};
      let state = t.init(p);
      expect(Object.keys(state).sort()).toEqual(centered ? ['mu', 'nu'] : ['nu']);
      const v = [0, 0, 0];
      const a = [0, 0, 0];
      for (const row of ROWS) {
        const g = {'dense/bias': tf.tensor1d(row)};
        const r = t.update(g, state);
        row.forEach((x, k) => {
          v[k] = rho * v[k]! + (1 - rho) * x * x;
          a[k] = rho * a[k]! + (1 - rho) * x;
        });
        const expected = row.map((x, k) => x / Math.sqrt(v[k]! - (centered ? a[k]! ** 2 : 0) + eps));
        Array.from(r.updates['dense/bias']!.dataSync()).forEach((x, k) =>
          expect(Math.abs(x - expected[k]!)).toBeLessThan(1e-5 * Math.abs(expected[k]!)),
        );
        Array.from(r.state.nu['dense/bias']!.dataSync()).forEach((x, k) => expect(Math.abs(x - v[k]!)).toBeLessThan(1e-6 * v[k]!));
        if (centered) {
          Array.from(r.state.mu!['dense/bias']!.dataSync()).forEach((x, k) =>
            expect(Math.abs(x - a[k]!)).toBeLessThan(1e-6 * Math.abs(a[k]!)),
          );
        }
        tf.dispose([g['dense/bias'], ...Object.values(r.updates), ...slotTensors(state)]);
        state = r.state;
      }
      tf.dispose([p['dense/bias'], ...slotTensors(state)]);
    });

    it('keys slots by name and keeps those of a variable that got no gradient', () => {
      const {s0, s1, s2, inputs} = keyedPartialSteps(scaleByRms({centered}));
      expect(Object.keys(s2.updates)).toEqual(['a/kernel']);
      expect(Object.keys(s2.state.nu).sort()).toEqual(['a/kernel', 'b/kernel']);
      // The frozen variable's slots are unchanged copies that outlive the old state.
      const frozen = [s1.state.nu['b/kernel']!, ...(centered ? [s1.state.mu!['b/kernel']!] : [])].map((x) => Array.from(x.dataSync()));
      expect(s2.state.nu['b/kernel']).not.toBe(s1.state.nu['b/kernel']);
      tf.dispose([...inputs, ...slotTensors(s0)]);
      tf.dispose([...Object.values(s1.updates), ...slotTensors(s1.state)]);
      expect(Array.from(s2.state.nu['b/kernel']!.dataSync())).toEqual(frozen[0]);
      expect(frozen[0]).toEqual([0.4, 0.4].map(Math.fround));
      if (centered) expect(Array.from(s2.state.mu!['b/kernel']!.dataSync())).toEqual(frozen[1]);
      tf.dispose([...Object.values(s2.updates), ...slotTensors(s2.state)]);
    });
  });
}

describe('scaleByRms errors', () => {
  it('throws typed errors for bad state, leaking nothing', async () => {
    const t = scaleByRms({centered: true});
    const wrong = {w: tf.ones([2, 1])};
    await expectBadStateRefused(
      t,
      (state, g) => {
        expect(() => t.update({v: g.w}, state)).toThrow(/scaleByRms: no nu slot for variable 'v' \(the state has \[w\]\)/);
        expect(() => t.update(wrong, state)).toThrow(ShapeError);
        expect(() => t.update(g, {nu: state.nu})).toThrow(/state.mu must be slot tensors/);
      },
      [wrong],
    );
  });

  it.each([
    [{rho: 1}, /scaleByRms: rho must be a finite number in \[0, 1\); got 1 \(number\)/],
    [{rho: -0.1}, /rho/],
    [{epsilon: 0}, /scaleByRms: epsilon must be a finite number > 0; got 0 \(number\)/],
    [{centered: 'yes'}, /centered must be true or false/],
    [{momentum: 0.9}, /does not know the option 'momentum'/],
  ])('rejects %j with a ConfigError', (options, message) => expectConfigError(scaleByRms, options, message));
});
