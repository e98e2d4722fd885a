import {ConfigError} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {expectValues} from '../test/expect-values';
import {inverseTimeDecay} from './inverse-time-decay';

describe('inverseTimeDecay', () => {
  it('is initialLearningRate / (1 + decayRate · step / decaySteps)', () => {
    const s = inverseTimeDecay({initialLearningRate: 0.1, decaySteps: 4, decayRate: 0.5});
    expectValues(s, [
      [0, 0.1],
      [1, 0.1 / 1.125],
      [4, 0.1 / 1.5],
      [6, 0.1 / 1.75],
      [400, 0.1 / 51],
    ]);
  });

  it('staircase floors step / decaySteps', () => {
    const s = inverseTimeDecay({initialLearningRate: 0.1, decaySteps: 4, decayRate: 0.5, staircase: true});
    expectValues(s, [
      [0, 0.1],
      [3, 0.1],
      [4, 0.1 / 1.5],
      [7, 0.1 / 1.5],
      [8, 0.05],
    ]);
  });

  it('accepts a fractional decaySteps and decayRate 0 (a constant), as Keras does', () => {
    expectValues(inverseTimeDecay({initialLearningRate: 0.1, decaySteps: 0.5, decayRate: 1}), [[2, 0.02]]);
    expectValues(inverseTimeDecay({initialLearningRate: 0.1, decaySteps: 3, decayRate: 0}), [[99, 0.1]]);
    expect(inverseTimeDecay({initialLearningRate: 0.1, decaySteps: 3, decayRate: 0}).spec.config.staircase).toBe(false);
  });

  it.each([
    [{initialLearningRate: 0.1, decaySteps: 4}, /inverseTimeDecay: decayRate is required/],
    [{initialLearningRate: 0.1, decaySteps: -4, decayRate: 0.5}, /decaySteps must be a finite number > 0; got -4/],
    [{initialLearningRate: 0.1, decaySteps: 4, decayRate: -0.5}, /decayRate must be a finite number >= 0; got -0.5/],
    [{initialLearningRate: Number.POSITIVE_INFINITY, decaySteps: 4, decayRate: 0.5}, /initialLearningRate must be a finite number/],
  ])('rejects %j with a ConfigError', (options, message) => {
    expect(() => inverseTimeDecay(options as never)).toThrow(ConfigError);
    expect(() => inverseTimeDecay(options as never)).toThrow(message);
  });
});
