import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError} from '@trellis/core';
import {catchError, randomValues} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {l1, l1l2, l2, maxNorm, minMaxNorm, orthogonalRegularizer, unitNorm} from './index';

beforeAll(() => tf.setBackend('cpu'));

const values = Array.from(randomValues(12, 3, -1.5, 1.5));

/** What `fn` makes of a [4, 3] weight, read back. */
function on(fn: (w: tf.Tensor) => tf.Tensor): number[] {
  const w = tf.tensor(values, [4, 3]);
  const out = fn(w);
  const read = Array.from(out.dataSync());
  tf.dispose([w, out]);
  return read;
}

/** Calls `fn` with any arguments, as JavaScript callers can. */
const loosely =
  (fn: unknown, ...args: unknown[]) =>
  () =>
    (fn as (...a: unknown[]) => unknown)(...args);

describe("Keras' positional form", () => {
  it('l1l2(1e-5, 1e-4) is l1l2({l1: 1e-5, l2: 1e-4}), not zero', () => {
    const positional = on(l1l2(1e-5, 1e-4));
    expect(positional).toEqual(on(l1l2({l1: 1e-5, l2: 1e-4})));
    expect(positional[0]).toBeGreaterThan(0);
    expect(l1l2(1e-5, 1e-4).spec).toEqual({id: 'trellis/l1l2', config: {l1: 1e-5, l2: 1e-4}});
    expect(l1l2(1e-5).spec.config).toEqual({l1: 1e-5, l2: 0});
    expect(l1l2(undefined, 1e-4).spec.config).toEqual({l1: 0, l2: 1e-4});
  });

  it('l1, l2: a number or {l1} / {l2}', () => {
    expect(on(l1(0.3))).toEqual(on(l1({l1: 0.3})));
    expect(on(l2(0.2))).toEqual(on(l2({l2: 0.2})));
    expect(l1({}).spec).toEqual(l1().spec);
    expect(l2({l2: 0.5}).spec).toEqual({id: 'trellis/l2', config: {l2: 0.5}});
  });

  it("the constraints and orthogonalRegularizer take Keras' first argument positionally", () => {
    expect(on(maxNorm(1.5))).toEqual(on(maxNorm({maxValue: 1.5})));
    expect(on(minMaxNorm(0.5))).toEqual(on(minMaxNorm({minValue: 0.5})));
    expect(on(unitNorm(1))).toEqual(on(unitNorm({axis: 1})));
    expect(on(unitNorm([0, 1]))).toEqual(on(unitNorm({axis: [0, 1]})));
    expect(orthogonalRegularizer(0.1).spec).toEqual(orthogonalRegularizer({factor: 0.1}).spec);
  });

  it.each([
    ['a string', loosely(l1l2, '1e-5'), /l1l2: l1 must be a finite non-negative number; got '1e-5' \(string\)/],
    ['NaN', loosely(l1l2, 1e-5, Number.NaN), /l1l2: l2 must be a finite non-negative number; got NaN/],
    ['null', loosely(l1l2, null), /l1l2: l1 must be a finite non-negative number; got null/],
    ['a negative number', loosely(l1l2, -1e-5), /l1l2: l1 must be a finite non-negative number; got -0.00001/],
    ['a third argument', loosely(l1l2, 1e-5, 1e-4, 1e-3), /l1l2 takes up to 2 numbers \(l1, l2\) or one options object; got 3 arguments/],
    ['an options object after a number', loosely(l1l2, 1e-5, {l2: 1e-4}), /l1l2 takes up to 2 numbers/],
  ])('l1l2 refuses %s, showing both forms', (_what, run, message) => {
    const error = catchError(run);
    expect(ConfigError.is(error)).toBe(true);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('l1l2(1e-5, 1e-4) or l1l2({l1: 1e-5, l2: 1e-4})');
  });

  it.each([
    ['l1', loosely(l1, 0.1, 0.2), 'l1(0.01) or l1({l1: 0.01})'],
    ['l2', loosely(l2, 'x'), 'l2(0.01) or l2({l2: 0.01})'],
    ['maxNorm', loosely(maxNorm, 2, 0), 'maxNorm(2) or maxNorm({maxValue: 2, axis: 0})'],
    ['minMaxNorm', loosely(minMaxNorm, -1), 'minMaxNorm(0) or minMaxNorm({minValue: 0, maxValue: 1, rate: 1, axis: 0})'],
    ['unitNorm', loosely(unitNorm, 0.5), 'unitNorm(0) or unitNorm({axis: 0})'],
    [
      'orthogonalRegularizer',
      loosely(orthogonalRegularizer, 'rows'),
      "orthogonalRegularizer(0.01) or orthogonalRegularizer({factor: 0.01, mode: 'rows'})",
    ],
  ])('%s refuses other arguments, showing both forms', (_who, run, forms) => {
    const error = catchError(run);
    expect(ConfigError.is(error)).toBe(true);
    expect(error.message).toContain(forms);
  });
});
