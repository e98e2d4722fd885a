import {ConfigError} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {expectValues} from '../test/expect-values';
import {polynomialDecay} from './polynomial-decay';

describe('polynomialDecay', () => {
  it('decays linearly (power 1) to endLearningRate at decaySteps, then stays there', () => {
    expectValues(polynomialDecay({initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.01}), [
      [0, 0.1],
      [5, 0.055],
      [9, 0.019],
      [10, 0.01],
      [500, 0.01],
    ]);
  });

  it('raises (1 − step / decaySteps) to power', () => {
    expectValues(polynomialDecay({initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.01, power: 0.5}), [
      [0, 0.1],
      [5, 0.09 * Math.sqrt(0.5) + 0.01],
      [10, 0.01],
    ]);
    expectValues(polynomialDecay({initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0, power: 2}), [[3, 0.1 * 0.49]]);
  });

  it('cycle decays over the next multiple of decaySteps (step 0 uses decaySteps)', () => {
    expectValues(polynomialDecay({initialLearningRate: 0.1, decaySteps: 10, endLearningRate: 0.01, cycle: true}), [
      [0, 0.1],
      [5, 0.055],
      [10, 0.01],
      [11, 0.09 * (1 - 11 / 20) + 0.01],
      [20, 0.01],
      [21, 0.09 * (1 - 21 / 30) + 0.01],
    ]);
  });

  it('uses the Keras defaults: endLearningRate 0.0001, power 1, no cycle', () => {
    const s = polynomialDecay({initialLearningRate: 0.1, decaySteps: 100});
    expect(s.spec).toEqual({
      id: 'trellis/polynomialDecay',
      config: {initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.0001, power: 1, cycle: false},
    });
    expectValues(s, [
      [50, 0.0999 * 0.5 + 0.0001],
      [200, 0.0001],
    ]);
  });

  it.each([
    [{decaySteps: 100}, /polynomialDecay: initialLearningRate is required/],
    [{initialLearningRate: 0.1}, /polynomialDecay: decaySteps is required \(a finite number > 0\)/],
    [{initialLearningRate: 0.1, decaySteps: 100, power: -1}, /power must be a finite number >= 0; got -1/],
    [{initialLearningRate: 0.1, decaySteps: 100, endLearningRate: -1e-4}, /endLearningRate must be a finite number >= 0/],
    [{initialLearningRate: 0.1, decaySteps: 100, cycle: 'yes'}, /cycle must be true or false; got 'yes'/],
  ])('rejects %j with a ConfigError', (options, message) => {
    expect(() => polynomialDecay(options as never)).toThrow(ConfigError);
    expect(() => polynomialDecay(options as never)).toThrow(message);
  });
});
