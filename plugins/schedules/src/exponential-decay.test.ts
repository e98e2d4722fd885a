import {ConfigError} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {expectValues} from '../test/expect-values';
import {exponentialDecay} from './exponential-decay';

describe('exponentialDecay', () => {
  it('is initialLearningRate · decayRate^(step / decaySteps)', () => {
    const s = exponentialDecay({initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5});
    expectValues(s, [
      [0, 0.1],
      [5, 0.1 * Math.SQRT1_2],
      [10, 0.05],
      [15, 0.05 * Math.SQRT1_2],
      [20, 0.025],
      [1000, 0.1 * 0.5 ** 100],
    ]);
  });

  it('staircase decays at whole multiples of decaySteps only', () => {
    const s = exponentialDecay({initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true});
    expectValues(s, [
      [0, 0.1],
      [9, 0.1],
      [10, 0.05],
      [19, 0.05],
      [20, 0.025],
    ]);
  });

  it('fills in the default staircase in its spec', () => {
    expect(exponentialDecay({initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.96}).spec).toEqual({
      id: 'trellis/exponentialDecay',
      config: {initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.96, staircase: false},
    });
  });

  it.each([
    [
      {decaySteps: 10, decayRate: 0.5},
      /exponentialDecay: initialLearningRate is required.*got undefined.*For example initialLearningRate: 0.1/,
    ],
    [{initialLearningRate: -0.1, decaySteps: 10, decayRate: 0.5}, /initialLearningRate must be a finite number >= 0; got -0.1/],
    [{initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5}, /exponentialDecay: decaySteps must be a finite number > 0; got 0/],
    [{initialLearningRate: 0.1, decaySteps: 10, decayRate: 0}, /decayRate must be a finite number > 0/],
    [{initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: 1}, /staircase must be true or false; got 1/],
    [{initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, decay_rate: 0.5}, /does not know the option 'decay_rate'.*camelCase/],
    [null, /exponentialDecay expects an options object/],
  ])('rejects %j with a ConfigError', (options, message) => {
    expect(() => exponentialDecay(options as never)).toThrow(ConfigError);
    expect(() => exponentialDecay(options as never)).toThrow(message);
  });

  it('rejects a step that is not a finite number >= 0', () => {
    const s = exponentialDecay({initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5});
    expect(() => s(-1)).toThrow(ConfigError);
    expect(() => s(Number.NaN)).toThrow(/exponentialDecay: the step must be a finite number >= 0/);
  });
});
