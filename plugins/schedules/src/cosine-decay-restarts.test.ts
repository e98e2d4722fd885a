import {ConfigError} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {expectValues} from '../test/expect-values';
import {cosineDecayRestarts} from './cosine-decay-restarts';

describe('cosineDecayRestarts', () => {
  it('restarts after periods growing by tMul, each starting mMul times lower, with the floor alpha · initialLearningRate', () => {
    const s = cosineDecayRestarts({initialLearningRate: 0.2, firstDecaySteps: 10, tMul: 2, mMul: 0.5, alpha: 0.1});
    // periods: steps 0..9 (10 steps), 10..29 (20), 30..69 (40)
    expectValues(s, [
      [0, 0.2],
      [5, 0.2 * (0.9 * 0.5 + 0.1)],
      [9, 0.2 * (0.9 * 0.5 * (1 + Math.cos(0.9 * Math.PI)) + 0.1)],
      [10, 0.2 * (0.9 * 0.5 + 0.1)],
      [20, 0.2 * (0.9 * 0.25 + 0.1)],
      [29, 0.2 * (0.9 * 0.25 * (1 + Math.cos(0.95 * Math.PI)) + 0.1)],
      [30, 0.2 * (0.9 * 0.25 + 0.1)],
      [50, 0.2 * (0.9 * 0.125 + 0.1)],
    ]);
  });

  it('repeats periods of firstDecaySteps when tMul is 1', () => {
    const s = cosineDecayRestarts({initialLearningRate: 0.2, firstDecaySteps: 10, tMul: 1, mMul: 0.5});
    expectValues(s, [
      [0, 0.2],
      [10, 0.1],
      [25, 0.025],
      [30, 0.025],
    ]);
  });

  it.each([1.5, 2, 3, 10])('starts every period exactly at its first step (tMul %s)', (tMul) => {
    const s = cosineDecayRestarts({initialLearningRate: 0.3, firstDecaySteps: 4, tMul, mMul: 0.9});
    let start = 0;
    for (let i = 0; i < 12 && start < 1e12; i++) {
      // Period i starts at 4 · (tMul^i − 1) / (tMul − 1); only whole steps are checked.
      if (Number.isInteger(start)) expectValues(s, [[start, 0.3 * 0.9 ** i]]);
      start += 4 * tMul ** i;
    }
  });

  it('uses the Keras defaults: tMul 2, mMul 1, alpha 0', () => {
    const s = cosineDecayRestarts({initialLearningRate: 0.1, firstDecaySteps: 100});
    expect(s.spec).toEqual({
      id: 'trellis/cosineDecayRestarts',
      config: {initialLearningRate: 0.1, firstDecaySteps: 100, tMul: 2, mMul: 1, alpha: 0},
    });
    expectValues(s, [
      [100, 0.1],
      [200, 0.05],
    ]);
  });

  it.each([
    [{initialLearningRate: 0.1}, /cosineDecayRestarts: firstDecaySteps is required/],
    [{initialLearningRate: 0.1, firstDecaySteps: 0}, /firstDecaySteps must be a finite number > 0; got 0/],
    [{initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 0.5}, /tMul must be a finite number >= 1; got 0.5/],
    [{initialLearningRate: 0.1, firstDecaySteps: 10, mMul: -1}, /mMul must be a finite number >= 0/],
    [{initialLearningRate: 0.1, firstDecaySteps: 10, alpha: -0.1}, /alpha must be a finite number in \[0, 1\]/],
    [{initialLearningRate: 0.1, first_decay_steps: 10}, /does not know the option 'first_decay_steps'/],
  ])('rejects %j with a ConfigError', (options, message) => {
    expect(() => cosineDecayRestarts(options as never)).toThrow(ConfigError);
    expect(() => cosineDecayRestarts(options as never)).toThrow(message);
  });
});
