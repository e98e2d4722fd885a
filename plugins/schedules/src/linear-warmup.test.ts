import {ConfigError, withSpec} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {expectValues} from '../test/expect-values';
import {cosineDecay} from './cosine-decay';
import {exponentialDecay} from './exponential-decay';
import {linearWarmup} from './linear-warmup';

describe('linearWarmup', () => {
  it('ramps linearly from initialLearningRate to warmupTarget, then holds it', () => {
    const s = linearWarmup({initialLearningRate: 0.01, warmupSteps: 4, warmupTarget: 0.05});
    expectValues(s, [
      [0, 0.01],
      [1, 0.02],
      [3, 0.04],
      [4, 0.05],
      [1000, 0.05],
    ]);
    expect(s.spec).toEqual({
      id: 'trellis/linearWarmup',
      config: {initialLearningRate: 0.01, warmupSteps: 4, warmupTarget: 0.05, after: null},
    });
  });

  it('hands over to `after` at warmupSteps, called with the steps since then', () => {
    const after = exponentialDecay({initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5});
    const s = linearWarmup({warmupSteps: 5, after});
    // warmupTarget defaults to after(0): the ramp ends where `after` starts.
    expect(s.spec.config.warmupTarget).toBe(0.1);
    expect(s.spec.config.initialLearningRate).toBe(0);
    expect(s.spec.config.after).toEqual(after.spec);
    expectValues(s, [
      [0, 0],
      [1, 0.02],
      [4, 0.08],
      [5, 0.1],
      [15, 0.05],
      [25, 0.025],
    ]);
  });

  it('matches cosineDecay with a warmup when `after` is the same cosine decay', () => {
    const keras = cosineDecay({initialLearningRate: 0.001, decaySteps: 50, alpha: 0.2, warmupTarget: 0.1, warmupSteps: 8});
    const ours = linearWarmup({
      initialLearningRate: 0.001,
      warmupSteps: 8,
      after: cosineDecay({initialLearningRate: 0.1, decaySteps: 50, alpha: 0.2}),
    });
    for (let step = 0; step < 80; step++) expectValues(ours, [[step, keras(step)]]);
  });

  it.each([
    [{warmupTarget: 0.1}, /linearWarmup: warmupSteps is required \(a finite number > 0\)/],
    [{warmupSteps: 0, warmupTarget: 0.1}, /warmupSteps must be a finite number > 0; got 0/],
    [{warmupSteps: 10}, /linearWarmup: warmupTarget is required.*For example warmupTarget: 0.1/],
    [{warmupSteps: 10, warmupTarget: 0.1, initialLearningRate: -1}, /initialLearningRate must be a finite number >= 0/],
    [
      {warmupSteps: 10, after: (step: number) => 0.1 / (step + 1)},
      /after must be a schedule carrying a spec.*got a function without a spec.*withSpec/,
    ],
    [{warmupSteps: 10, after: {id: 'trellis/constant', config: {value: 0.1}}}, /after must be a schedule carrying a spec/],
    [{warmupSteps: 10, warmupTarget: 0.1, then: 0.1}, /does not know the option 'then'/],
  ])('rejects %j with a ConfigError', (options, message) => {
    expect(() => linearWarmup(options as never)).toThrow(ConfigError);
    expect(() => linearWarmup(options as never)).toThrow(message);
  });

  it('accepts any function carrying a spec as `after`', () => {
    const after = withSpec({id: 'acme/halving', config: {}}, (step: number) => 0.1 / 2 ** step);
    expectValues(linearWarmup({warmupSteps: 2, after}), [
      [1, 0.05],
      [3, 0.05],
    ]);
  });
});
