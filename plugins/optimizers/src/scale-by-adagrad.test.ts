import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ShapeError} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {scaleByAdagrad, type ScaleByAdagradState} from './scale-by-adagrad';
import {expectConfigError} from '../test/config-errors';
import {GRADIENT_ROWS} from '../test/fixtures';
import {expectBadStateRefused, keyedPartialSteps} from '../test/transform-checks';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ROWS = GRADIENT_ROWS.slice(0, 4);

describe('scaleByAdagrad', () => {
  it.each([
    [0.1, 1e-7],
    [0, 1e-3],
    [2.5, 1e-7],
  ])('follows Keras in float64 over several steps (initialAccumulatorValue %s, epsilon %s)', (initial, eps) => {
    const t = scaleByAdagrad({initialAccumulatorValue: initial, epsilon: eps});
    const p = {'dense/bias': tf.zeros([3])};
    let state: ScaleByAdagradState = t.init(p);
    expect(Array.from(state.sumOfSquares['dense/bias']!.dataSync())).toEqual([initial, initial, initial].map(Math.fround));
    const acc = [initial, initial, initial];
    for (const row of ROWS) {
      const g = {'dense/bias': tf.tensor1d(row)};
      const r = t.update(g, state);
      row.forEach((x, k) => (acc[k] = acc[k]! + x * x));
      const expected = row.map((x, k) => x / Math.sqrt(acc[k]! + eps));
      Array.from(r.updates['dense/bias']!.dataSync()).forEach((x, k) =>
        expect(Math.abs(x - expected[k]!)).toBeLessThan(1e-5 * Math.abs(expected[k]!)),
      );
      Array.from(r.state.sumOfSquares['dense/bias']!.dataSync()).forEach((x, k) =>
        expect(Math.abs(x - acc[k]!)).toBeLessThan(1e-6 * acc[k]!),
      );
      tf.dispose([g['dense/bias'], ...Object.values(r.updates), ...Object.values(state.sumOfSquares)]);
      state = r.state;
    }
    tf.dispose([p['dense/bias'], ...Object.values(state.sumOfSquares)]);
  });

  it('keys slots by name and keeps the slot of a variable that got no gradient', () => {
    const {s0, s1, s2, inputs} = keyedPartialSteps(scaleByAdagrad());
    expect(Object.keys(s2.updates)).toEqual(['a/kernel']);
    expect(s2.state.sumOfSquares['b/kernel']).not.toBe(s1.state.sumOfSquares['b/kernel']);
    tf.dispose([...inputs, ...Object.values(s0.sumOfSquares)]);
    tf.dispose([...Object.values(s1.updates), ...Object.values(s1.state.sumOfSquares)]);
    expect(Array.from(s2.state.sumOfSquares['a/kernel']!.dataSync())).toEqual([2.1, 2.1].map(Math.fround));
    expect(Array.from(s2.state.sumOfSquares['b/kernel']!.dataSync())).toEqual([4.1, 4.1].map(Math.fround));
    tf.dispose([...Object.values(s2.updates), ...Object.values(s2.state.sumOfSquares)]);
  });

  it('throws typed errors for bad state, leaking nothing', async () => {
    const t = scaleByAdagrad();
    const wrong = {w: tf.ones([3])};
    await expectBadStateRefused(
      t,
      (state, g) => {
        expect(() => t.update({v: g.w}, state)).toThrow(/scaleByAdagrad: no sumOfSquares slot for variable 'v' \(the state has \[w\]\)/);
        expect(() => t.update(wrong, state)).toThrow(ShapeError);
        expect(() => t.update(g, {} as never)).toThrow(/state.sumOfSquares must be slot tensors/);
      },
      [wrong],
    );
  });

  it.each([
    [{initialAccumulatorValue: -0.1}, /scaleByAdagrad: initialAccumulatorValue must be a finite number >= 0; got -0.1 \(number\)/],
    [{epsilon: 0}, /scaleByAdagrad: epsilon must be a finite number > 0; got 0 \(number\)/],
    [{epsilon: Number.NaN}, /epsilon/],
    [{initial_accumulator_value: 0.1}, /does not know the option 'initial_accumulator_value'/],
  ])('rejects %j with a ConfigError', (options, message) => expectConfigError(scaleByAdagrad, options, message));
});
