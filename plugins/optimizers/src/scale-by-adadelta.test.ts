import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ShapeError} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {scaleByAdadelta, type ScaleByAdadeltaState} from './scale-by-adadelta';
import {expectConfigError} from '../test/config-errors';
import {GRADIENT_ROWS} from '../test/fixtures';
import {expectBadStateRefused, keyedPartialSteps} from '../test/transform-checks';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ROWS = GRADIENT_ROWS;

function slotTensors(state: ScaleByAdadeltaState): tf.Tensor[] {
  return [...Object.values(state.nu), ...Object.values(state.deltaNu)];
}

describe('scaleByAdadelta', () => {
  it.each([
    [0.95, 1e-7],
    [0.5, 1e-2],
  ])('follows Keras in float64 over several steps (rho %s, epsilon %s)', (rho, eps) => {
    const t = scaleByAdadelta({rho, epsilon: eps});
    const p = {'dense/bias': tf.zeros([3])};
    let state = t.init(p);
    const eg = [0, 0, 0];
    const ex = [0, 0, 0];
    for (const row of ROWS) {
      const g = {'dense/bias': tf.tensor1d(row)};
      const r = t.update(g, state);
      // The step without the learning rate; Keras' delta_var is its negative.
      const expected = row.map((x, k) => {
        eg[k] = rho * eg[k]! + (1 - rho) * x * x;
        const out = (Math.sqrt(ex[k]! + eps) * x) / Math.sqrt(eg[k]! + eps);
        ex[k] = rho * ex[k]! + (1 - rho) * out * out;
        return out;
      });
      Array.from(r.updates['dense/bias']!.dataSync()).forEach((x, k) =>
        expect(Math.abs(x - expected[k]!)).toBeLessThan(1e-5 * Math.abs(expected[k]!)),
      );
      Array.from(r.state.deltaNu['dense/bias']!.dataSync()).forEach((x, k) => expect(Math.abs(x - ex[k]!)).toBeLessThan(1e-5 * ex[k]!));
      tf.dispose([g['dense/bias'], ...Object.values(r.updates), ...slotTensors(state)]);
      state = r.state;
    }
    tf.dispose([p['dense/bias'], ...slotTensors(state)]);
  });

  it('keys slots by name and keeps those of a variable that got no gradient', () => {
    const {s0, s1, s2, inputs} = keyedPartialSteps(scaleByAdadelta());
    expect(Object.keys(s0.nu).sort()).toEqual(['a/kernel', 'b/kernel']);
    expect(Object.keys(s2.updates)).toEqual(['a/kernel']);
    const frozen = [s1.state.nu['b/kernel']!, s1.state.deltaNu['b/kernel']!].map((x) => Array.from(x.dataSync()));
    expect(frozen[1]![0]).toBeGreaterThan(0);
    tf.dispose([...inputs, ...slotTensors(s0)]);
    tf.dispose([...Object.values(s1.updates), ...slotTensors(s1.state)]);
    expect(Array.from(s2.state.nu['b/kernel']!.dataSync())).toEqual(frozen[0]);
    expect(Array.from(s2.state.deltaNu['b/kernel']!.dataSync())).toEqual(frozen[1]);
    tf.dispose([...Object.values(s2.updates), ...slotTensors(s2.state)]);
  });

  it('throws typed errors for bad state, leaking nothing', async () => {
    const t = scaleByAdadelta();
    const wrong = {w: tf.ones([2, 1])};
    await expectBadStateRefused(
      t,
      (state, g) => {
        expect(() => t.update({v: g.w}, state)).toThrow(/scaleByAdadelta: no nu slot for variable 'v' \(the state has \[w\]\)/);
        expect(() => t.update(wrong, state)).toThrow(ShapeError);
        expect(() => t.update(g, {nu: state.nu} as never)).toThrow(/state.deltaNu must be slot tensors/);
      },
      [wrong],
    );
  });

  it.each([
    [{rho: 1}, /scaleByAdadelta: rho must be a finite number in \[0, 1\); got 1 \(number\)/],
    [{rho: Infinity}, /rho/],
    [{epsilon: -1e-7}, /scaleByAdadelta: epsilon must be a finite number > 0; got -1e-7 \(number\)/],
    [{learningRate: 1}, /does not know the option 'learningRate'/],
  ])('rejects %j with a ConfigError', (options, message) => expectConfigError(scaleByAdadelta, options, message));
});
