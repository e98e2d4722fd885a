import {ConfigError, UnknownIdError, createRegistry, withSpec, type Schedule} from '@trellis/core';
import {describe, expect, it} from 'vitest';
import {
  constantSchedule,
  cosineDecay,
  cosineDecayRestarts,
  exponentialDecay,
  inverseTimeDecay,
  join,
  linearWarmup,
  oneCycle,
  piecewiseConstantDecay,
  polynomialDecay,
  schedulesPlugin,
  stepDecay,
} from './index';

const STEPS = Array.from({length: 400}, (_, i) => i);

const cases: ReadonlyArray<readonly [string, Schedule]> = [
  ['constantSchedule', constantSchedule(0.02)],
  ['exponentialDecay', exponentialDecay({initialLearningRate: 0.1, decaySteps: 7, decayRate: 0.9})],
  ['exponentialDecay staircase', exponentialDecay({initialLearningRate: 0.1, decaySteps: 7, decayRate: 0.9, staircase: true})],
  ['piecewiseConstantDecay', piecewiseConstantDecay({boundaries: [10, 100], values: [0.1, 0.01, 0.001]})],
  ['inverseTimeDecay', inverseTimeDecay({initialLearningRate: 0.1, decaySteps: 5, decayRate: 0.5, staircase: true})],
  ['polynomialDecay', polynomialDecay({initialLearningRate: 0.1, decaySteps: 50, power: 2})],
  ['polynomialDecay cycle', polynomialDecay({initialLearningRate: 0.1, decaySteps: 50, endLearningRate: 0.01, cycle: true})],
  ['cosineDecay', cosineDecay({initialLearningRate: 0.1, decaySteps: 100, alpha: 0.1})],
  ['cosineDecay warmup', cosineDecay({initialLearningRate: 0, decaySteps: 100, warmupTarget: 0.1, warmupSteps: 20})],
  ['cosineDecayRestarts', cosineDecayRestarts({initialLearningRate: 0.1, firstDecaySteps: 20, tMul: 1.5, mMul: 0.8, alpha: 0.05})],
  ['linearWarmup', linearWarmup({warmupSteps: 10, warmupTarget: 0.1})],
  ['linearWarmup after', linearWarmup({warmupSteps: 10, after: cosineDecay({initialLearningRate: 0.1, decaySteps: 90})})],
  [
    'join',
    join(
      [
        linearWarmup({warmupSteps: 10, warmupTarget: 0.1}),
        join([constantSchedule(0.1), exponentialDecay({initialLearningRate: 0.1, decaySteps: 20, decayRate: 0.5})], [40]),
        constantSchedule(1e-4),
      ],
      [10, 300],
    ),
  ],
  ['oneCycle', oneCycle({maxLearningRate: 0.1, totalSteps: 300, pctStart: 0.25})],
  ['stepDecay', stepDecay({initialLearningRate: 0.1, dropRate: 0.5, epochsPerDrop: 3, stepsPerEpoch: 17})],
];

describe('schedulesPlugin', () => {
  const registry = createRegistry(schedulesPlugin);

  it('registers every schedule under kind schedule', () => {
    expect(registry.ids('schedule')).toEqual([
      'trellis/constant',
      'trellis/cosineDecay',
      'trellis/cosineDecayRestarts',
      'trellis/exponentialDecay',
      'trellis/inverseTimeDecay',
      'trellis/join',
      'trellis/linearWarmup',
      'trellis/oneCycle',
      'trellis/piecewiseConstantDecay',
      'trellis/polynomialDecay',
      'trellis/stepDecay',
    ]);
  });

  it.each(cases)('%s round-trips through its JSON spec with equal values', (_, schedule) => {
    const json = JSON.parse(JSON.stringify(schedule.spec));
    const rebuilt = registry.resolve('schedule', json);
    expect(rebuilt.spec).toEqual(schedule.spec);
    expect(STEPS.map((s) => rebuilt(s))).toEqual(STEPS.map((s) => schedule(s)));
  });

  it('resolves bare names with defaults filled in', () => {
    expect(registry.resolve('schedule', 'cosineDecay', {initialLearningRate: 0.1, decaySteps: 10}).spec).toEqual(
      cosineDecay({initialLearningRate: 0.1, decaySteps: 10}).spec,
    );
  });

  it('rebuilds nested schedules through the registry resolving them (a fork may add ids)', () => {
    const halving = withSpec({id: 'acme/halving', config: {}}, (step: number) => 0.1 / 2 ** step);
    const spec = JSON.parse(JSON.stringify(join([constantSchedule(0.2), halving], [5]).spec));
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
