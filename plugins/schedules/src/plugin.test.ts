import {ConfigError, UnknownIdError, createRegistry, withSpec, type Schedule} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import * as api from './index';

const STEPS = Array.from({length: 400}, (_, i) => i);

const cases: ReadonlyArray<readonly [string, Schedule]> = [
  ['constantSchedule', api.constantSchedule(0.02)],
  ['exponentialDecay', api.exponentialDecay({initialLearningRate: 0.1, decaySteps: 7, decayRate: 0.9})],
  ['exponentialDecay staircase', api.exponentialDecay({initialLearningRate: 0.1, decaySteps: 7, decayRate: 0.9, staircase: true})],
  ['piecewiseConstantDecay', api.piecewiseConstantDecay({boundaries: [10, 100], values: [0.1, 0.01, 0.001]})],
  ['inverseTimeDecay', api.inverseTimeDecay({initialLearningRate: 0.1, decaySteps: 5, decayRate: 0.5, staircase: true})],
  ['polynomialDecay', api.polynomialDecay({initialLearningRate: 0.1, decaySteps: 50, power: 2})],
  ['polynomialDecay cycle', api.polynomialDecay({initialLearningRate: 0.1, decaySteps: 50, endLearningRate: 0.01, cycle: true})],
  ['cosineDecay', api.cosineDecay({initialLearningRate: 0.1, decaySteps: 100, alpha: 0.1})],
  ['cosineDecay warmup', api.cosineDecay({initialLearningRate: 0, decaySteps: 100, warmupTarget: 0.1, warmupSteps: 20})],
  ['cosineDecayRestarts', api.cosineDecayRestarts({initialLearningRate: 0.1, firstDecaySteps: 20, tMul: 1.5, mMul: 0.8, alpha: 0.05})],
  ['linearWarmup', api.linearWarmup({warmupSteps: 10, warmupTarget: 0.1})],
  ['linearWarmup after', api.linearWarmup({warmupSteps: 10, after: api.cosineDecay({initialLearningRate: 0.1, decaySteps: 90})})],
  [
    'join',
    api.join(
      [
        api.linearWarmup({warmupSteps: 10, warmupTarget: 0.1}),
        api.join([api.constantSchedule(0.1), api.exponentialDecay({initialLearningRate: 0.1, decaySteps: 20, decayRate: 0.5})], [40]),
        api.constantSchedule(1e-4),
      ],
      [10, 300],
    ),
  ],
  ['oneCycle', api.oneCycle({maxLearningRate: 0.1, totalSteps: 300, pctStart: 0.25})],
  ['stepDecay', api.stepDecay({initialLearningRate: 0.1, dropRate: 0.5, epochsPerDrop: 3, stepsPerEpoch: 17})],
];

describe('schedulesPlugin', () => {
  const registry = createRegistry(api.schedulesPlugin);

  it('registers every schedule under kind schedule', () => {
    // The namespace lists every factory under its spec id's plain name (checked in namespace.test.ts).
    expect(registry.ids('schedule')).toEqual(Object.keys(api.schedules).map((name) => `trellis/${name}`));
  });

  it.each(cases)('%s round-trips through its JSON spec with equal values', (_, schedule) => {
    const json = JSON.parse(JSON.stringify(schedule.spec));
    const rebuilt = registry.resolve('schedule', json);
    expect(rebuilt.spec).toEqual(schedule.spec);
    expect(STEPS.map((s) => rebuilt(s))).toEqual(STEPS.map((s) => schedule(s)));
  });

  it('resolves bare names with defaults filled in', () => {
    expect(registry.resolve('schedule', 'cosineDecay', {initialLearningRate: 0.1, decaySteps: 10}).spec).toEqual(
      api.cosineDecay({initialLearningRate: 0.1, decaySteps: 10}).spec,
    );
  });

  it('rebuilds nested schedules through the registry resolving them (a fork may add ids)', () => {
    const halving = withSpec({id: 'acme/halving', config: {}}, (step: number) => 0.1 / 2 ** step);
    const spec = JSON.parse(JSON.stringify(api.join([api.constantSchedule(0.2), halving], [5]).spec));
    expect(() => registry.resolve('schedule', spec)).toThrow(UnknownIdError);
    const fork = registry.fork();
    fork.register('schedule', 'acme/halving', () => halving);
    const rebuilt = fork.resolve('schedule', spec);
    expect([0, 4, 5, 6].map((s) => rebuilt(s))).toEqual([0.2, 0.2, 0.1, 0.05]);
    expect(rebuilt.spec).toEqual(spec);
  });

  it('rejects bad configs with ConfigErrors naming the schedule', () => {
    expect(() => registry.resolve('schedule', {id: 'trellis/exponentialDecay', config: {decaySteps: 10}})).toThrow(
      /exponentialDecay: initialLearningRate is required/,
    );
    expect(() => registry.resolve('schedule', {id: 'trellis/join', config: {schedules: 'x', boundaries: []}})).toThrow(ConfigError);
    expect(() => registry.resolve('schedule', {id: 'trellis/linearWarmup', config: {warmupSteps: 5, after: 3}})).toThrow(
      /linearWarmup: after must be a schedule carrying a spec/,
    );
    expect(() => registry.resolve('schedule', {id: 'trellis/constant', config: null})).toThrow(/constantSchedule: value is required/);
  });
});
