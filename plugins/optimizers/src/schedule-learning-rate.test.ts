// Optimizers whose learning rate is a schedule of @trellis/schedules: the spec
// survives JSON and the registry rebuilds the schedule inside it.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, UnknownIdError, createRegistry, type Optimizer} from '@trellis/core';
import {cosineDecay, exponentialDecay, join, linearWarmup, schedulesPlugin} from '@trellis/schedules';
import {beforeAll, describe, expect, it} from 'vitest';
import {trainOurs} from '../test/train';
import {makeVariables, read, type Arrays} from '../test/fixtures';
import {adam} from './adam';
import {optimizersPlugin} from './plugin';
import {sgd} from './sgd';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const roundTrip = (spec: unknown) => JSON.parse(JSON.stringify(spec));

describe('a schedule as learningRate', () => {
  const registry = createRegistry(schedulesPlugin, optimizersPlugin);

  it('adam with exponentialDecay: spec → JSON → registry gives the same spec and the same updates', () => {
    const opt = adam({learningRate: exponentialDecay({initialLearningRate: 0.05, decaySteps: 3, decayRate: 0.5}), beta1: 0.8});
    const json = roundTrip(opt.spec);
    expect(json.config.learningRate).toEqual({
      id: 'trellis/exponentialDecay',
      config: {initialLearningRate: 0.05, decaySteps: 3, decayRate: 0.5, staircase: false},
    });
    const rebuilt = registry.resolve('optimizer', json);
    expect(rebuilt.spec).toEqual(opt.spec);
    const schedule = (rebuilt as Optimizer & {learningRate: (step: number) => number}).learningRate;
    expect([0, 3, 6].map((s) => schedule(s))).toEqual([0.05, 0.025, 0.0125]);
    expect(trainOurs(rebuilt, 10)).toEqual(trainOurs(opt, 10));
  });

  it('the schedule changes the updates (a constant rate trains differently)', () => {
    const scheduled = adam({learningRate: exponentialDecay({initialLearningRate: 0.05, decaySteps: 3, decayRate: 0.5})});
    const before = read(makeVariables());
    const withSchedule = trainOurs(scheduled, 6);
    const withConstant = trainOurs(adam({learningRate: 0.05}), 6);
    const moved = (a: Arrays) => Object.keys(a).reduce((s, n) => s + a[n]!.reduce((t, v, k) => t + Math.abs(v - before[n]![k]!), 0), 0);
    expect(moved(withSchedule)).toBeLessThan(0.8 * moved(withConstant));
  });

  it('sgd with nested schedules (linearWarmup into join) round-trips, also through a fork', () => {
    const lr = linearWarmup({
      warmupSteps: 2,
      after: join(
        [
          cosineDecay({initialLearningRate: 0.1, decaySteps: 4}),
          exponentialDecay({initialLearningRate: 0.02, decaySteps: 2, decayRate: 0.9}),
        ],
        [4],
      ),
    });
    const opt = sgd({learningRate: lr, momentum: 0.9});
    const json = roundTrip(opt.spec);
    for (const r of [registry, registry.fork()]) {
      const rebuilt = r.resolve('optimizer', json);
      expect(rebuilt.spec).toEqual(opt.spec);
      expect(trainOurs(rebuilt, 9)).toEqual(trainOurs(opt, 9));
    }
  });

  it('without the schedules plugin, a schedule spec is a ConfigError pointing to @trellis/schedules', () => {
    const bare = createRegistry(optimizersPlugin);
    const json = roundTrip(sgd({learningRate: exponentialDecay({initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5})}).spec);
    expect(() => bare.resolve('optimizer', json)).toThrow(ConfigError);
    expect(() => bare.resolve('optimizer', json)).toThrow(
      /sgd: learningRate is the schedule spec 'trellis\/exponentialDecay', but this registry has no schedules.*schedulesPlugin/,
    );
  });

  it('an unknown schedule id is an UnknownIdError listing the known schedules', () => {
    const json = {id: 'trellis/adam', config: {learningRate: {id: 'acme/warmRestarts', config: {}}}};
    expect(() => registry.resolve('optimizer', json)).toThrow(UnknownIdError);
    expect(() => registry.resolve('optimizer', json)).toThrow(/trellis\/exponentialDecay/);
  });

  it('a schedule spec passed to the factory directly is refused with a hint', () => {
    const spec = {id: 'trellis/exponentialDecay', config: {initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5}};
    expect(() => adam({learningRate: spec as never})).toThrow(ConfigError);
    expect(() => adam({learningRate: spec as never})).toThrow(/not a schedule.*registry\.resolve\('schedule', spec\)/);
  });
});
