import {ConfigError} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {expectValues} from '../test/expect-values';
import {piecewiseConstantDecay} from './piecewise-constant-decay';

describe('piecewiseConstantDecay', () => {
  it('gives each interval its value, a boundary step still the value before it (Keras)', () => {
    const s = piecewiseConstantDecay({boundaries: [10, 20], values: [1.5, 0.5, 0.1]});
    expectValues(s, [
      [0, 1.5],
      [10, 1.5],
      [11, 0.5],
      [20, 0.5],
      [21, 0.1],
      [1e6, 0.1],
    ]);
    expectValues(piecewiseConstantDecay({boundaries: [0], values: [0.3, 0.2]}), [
      [0, 0.3],
      [1, 0.2],
    ]);
  });

  it('stores copies of boundaries and values in its spec', () => {
    const boundaries = [5];
    const s = piecewiseConstantDecay({boundaries, values: [0.2, 0.1]});
    boundaries[0] = 50;
    expect(s.spec).toEqual({id: 'trellis/piecewiseConstantDecay', config: {boundaries: [5], values: [0.2, 0.1]}});
    expect(s(6)).toBe(0.1);
  });

  it.each([
    [{boundaries: [10, 20], values: [1, 0.5]}, /values must have one element more than boundaries.*got 2 boundaries and 2 values/],
    [{boundaries: [20, 10], values: [1, 0.5, 0.1]}, /boundaries must be strictly increasing; got \[20, 10\]/],
    [{boundaries: [10, 10], values: [1, 0.5, 0.1]}, /strictly increasing/],
    [{boundaries: 10, values: [1, 0.5]}, /boundaries must be an array of numbers; got 10/],
    [{boundaries: [10], values: [1, -0.5]}, /values\[1\] must be a finite number >= 0; got -0.5/],
    [{boundaries: [Number.NaN], values: [1, 0.5]}, /boundaries\[0\] must be a finite number/],
    [{values: [1]}, /boundaries must be an array/],
  ])('rejects %j with a ConfigError', (options, message) => {
    expect(() => piecewiseConstantDecay(options as never)).toThrow(ConfigError);
    expect(() => piecewiseConstantDecay(options as never)).toThrow(message);
  });
});
