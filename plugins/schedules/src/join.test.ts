import {ConfigError, withSpec} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {expectValues} from '../test/expect-values';
import {constantSchedule} from './constant-schedule';
import {exponentialDecay} from './exponential-decay';
import {join} from './join';
import {linearWarmup} from './linear-warmup';

describe('join', () => {
  const warmup = linearWarmup({warmupSteps: 10, warmupTarget: 0.1});
  const decay = exponentialDecay({initialLearningRate: 0.1, decaySteps: 5, decayRate: 0.5});

  it('runs schedule i + 1 from boundaries[i] on, with the step counted from that boundary (optax join_schedules)', () => {
    const s = join([warmup, decay, constantSchedule(0.001)], [10, 30]);
    expectValues(s, [
      [0, 0],
      [9, 0.09],
      [10, 0.1],
      [15, 0.05],
      [29, 0.1 * 0.5 ** (19 / 5)],
      [30, 0.001],
      [1000, 0.001],
    ]);
  });

  it('stores the children specs and the boundaries', () => {
    expect(join([warmup, decay], [10]).spec).toEqual({
      id: 'trellis/join',
      config: {schedules: [warmup.spec, decay.spec], boundaries: [10]},
    });
    expectValues(join([decay], []), [[5, 0.05]]);
  });

  it.each([
    [[], [], /join: schedules must be a non-empty array of schedules; got an array of length 0/],
    [[(s: number) => s], [], /schedules\[0\] must be a schedule carrying a spec/],
    [[withSpec({id: 'acme/x', config: {}}, () => 1), 0.1], [3], /schedules\[1\] must be a schedule carrying a spec.*got 0.1 \(number\)/],
    [
      [constantSchedule(1), constantSchedule(2)],
      [],
      /boundaries must have one element less than schedules.*got 2 schedules and 0 boundaries/,
    ],
    [[constantSchedule(1), constantSchedule(2), constantSchedule(3)], [5, 5], /boundaries must be strictly increasing/],
    [[constantSchedule(1), constantSchedule(2)], [-1], /boundaries\[0\] must be a finite number >= 0; got -1/],
    [[constantSchedule(1), constantSchedule(2)], undefined, /boundaries must be an array of numbers; got undefined/],
  ])('rejects schedules %j, boundaries %j with a ConfigError', (schedules, boundaries, message) => {
    expect(() => join(schedules as never, boundaries as never)).toThrow(ConfigError);
    expect(() => join(schedules as never, boundaries as never)).toThrow(message);
  });
});
