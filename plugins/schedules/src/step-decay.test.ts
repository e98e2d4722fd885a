import {ConfigError} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {expectValues} from '../test/expect-values';
import {exponentialDecay} from './exponential-decay';
import {stepDecay} from './step-decay';

describe('stepDecay', () => {
  const options = {initialLearningRate: 0.1, dropRate: 0.5, epochsPerDrop: 2, stepsPerEpoch: 3};

  it('multiplies by dropRate every epochsPerDrop epochs of stepsPerEpoch steps', () => {
    // epochs 0-1: steps 0..5; epochs 2-3: steps 6..11; ...
    expectValues(stepDecay(options), [
      [0, 0.1],
      [5, 0.1],
      [6, 0.05],
      [11, 0.05],
      [12, 0.025],
      [60, 0.1 * 0.5 ** 10],
    ]);
    expect(stepDecay(options).spec).toEqual({id: 'trellis/stepDecay', config: options});
  });

  it('equals exponentialDecay with staircase and decaySteps = epochsPerDrop · stepsPerEpoch', () => {
    const keras = exponentialDecay({initialLearningRate: 0.1, decaySteps: 6, decayRate: 0.5, staircase: true});
    const ours = stepDecay(options);
    for (let step = 0; step < 100; step++) expect(ours(step)).toBe(keras(step));
  });

  it.each([
    [{...options, dropRate: 0}, /stepDecay: dropRate must be a finite number in \(0, 1\]; got 0/],
    [{...options, dropRate: 1.5}, /dropRate must be a finite number in \(0, 1\]; got 1.5/],
    [{...options, epochsPerDrop: 0}, /epochsPerDrop must be an integer >= 1; got 0/],
    [{...options, stepsPerEpoch: 2.5}, /stepsPerEpoch must be an integer >= 1; got 2.5/],
    [{initialLearningRate: 0.1, dropRate: 0.5, epochsPerDrop: 2}, /stepsPerEpoch is required.*For example stepsPerEpoch: 469/],
  ])('rejects %j with a ConfigError', (bad, message) => {
    expect(() => stepDecay(bad as never)).toThrow(ConfigError);
    expect(() => stepDecay(bad as never)).toThrow(message);
  });
});
