import {ConfigError} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {cosineDecay} from './cosine-decay';
import {piecewiseConstantDecay} from './piecewise-constant-decay';
import {schedulePoints} from './schedule-points';

describe('schedulePoints', () => {
  it('lists {step, value} at 0, every, 2·every, … below steps', () => {
    const s = piecewiseConstantDecay({boundaries: [3], values: [0.2, 0.1]});
    expect(schedulePoints(s, {steps: 6})).toEqual([0.2, 0.2, 0.2, 0.2, 0.1, 0.1].map((value, step) => ({step, value})));
    expect(schedulePoints(s, {steps: 10, every: 4})).toEqual([
      {step: 0, value: 0.2},
      {step: 4, value: 0.1},
      {step: 8, value: 0.1},
    ]);
    const points = schedulePoints(cosineDecay({initialLearningRate: 0.1, decaySteps: 100}), {steps: 101, every: 25});
    expect(points.map((p) => p.step)).toEqual([0, 25, 50, 75, 100]);
    expect(points[2]!.value).toBeCloseTo(0.05, 15);
  });

  it.each([
    [{steps: 0}, /schedulePoints: steps must be an integer >= 1; got 0/],
    [{steps: 10, every: 0.5}, /every must be an integer >= 1; got 0.5/],
    [{}, /steps is required/],
    [{steps: 10, step: 1}, /does not know the option 'step'/],
  ])('rejects %j with a ConfigError', (options, message) => {
    const s = cosineDecay({initialLearningRate: 0.1, decaySteps: 100});
    expect(() => schedulePoints(s, options as never)).toThrow(ConfigError);
    expect(() => schedulePoints(s, options as never)).toThrow(message);
  });

  it('rejects something that is not a schedule', () => {
    expect(() => schedulePoints(0.1 as never, {steps: 3})).toThrow(
      /schedulePoints: expected a schedule \(a function of the step\); got 0.1/,
    );
  });
});
