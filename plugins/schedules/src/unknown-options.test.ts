import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {createRegistry, type Schedule} from '@trellis/core';
import {describeUnknownOptions, expectSpecConfigRefused, specCases} from '@trellis/testing';
import {beforeAll, expect, it} from 'vitest';
import * as api from './index';

beforeAll(() => tf.setBackend('cpu'));

/** Every export that takes an options object: valid options, and one option it reads. */
const takesOptions: Record<string, readonly [(options: never) => unknown, object, string]> = {
  cosineDecay: [api.cosineDecay, {initialLearningRate: 0.1, decaySteps: 10}, 'decaySteps'],
  cosineDecayRestarts: [api.cosineDecayRestarts, {initialLearningRate: 0.1, firstDecaySteps: 10}, 'firstDecaySteps'],
  exponentialDecay: [api.exponentialDecay, {initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5}, 'decayRate'],
  inverseTimeDecay: [api.inverseTimeDecay, {initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5}, 'staircase'],
  linearWarmup: [api.linearWarmup, {warmupSteps: 10, warmupTarget: 0.1}, 'warmupSteps'],
  oneCycle: [api.oneCycle, {maxLearningRate: 0.1, totalSteps: 100}, 'pctStart'],
  piecewiseConstantDecay: [api.piecewiseConstantDecay, {boundaries: [10], values: [0.1, 0.01]}, 'boundaries'],
  polynomialDecay: [api.polynomialDecay, {initialLearningRate: 0.1, decaySteps: 10}, 'power'],
  schedulePoints: [(options: never) => api.schedulePoints(api.constantSchedule(0.1), options), {steps: 3}, 'every'],
  stepDecay: [api.stepDecay, {initialLearningRate: 0.1, dropRate: 0.5, epochsPerDrop: 2, stepsPerEpoch: 10}, 'dropRate'],
};

/** Exports without an options object, with the option their registry factory reads from a spec config. */
const noOptions: Record<string, readonly [Schedule, string] | null> = {
  constantSchedule: [api.constantSchedule(0.1), 'value'],
  join: [api.join([api.constantSchedule(0.1), api.constantSchedule(0.01)], [5]), 'boundaries'],
  schedules: null,
  schedulesPlugin: null,
};

describeUnknownOptions(api, {takesOptions, noOptions: Object.keys(noOptions)}, () => {
  it.each(Object.entries(takesOptions))('%s accepts the valid options of the table', (_who, [make, valid]) => {
    expect(() => make(valid as never)).not.toThrow();
  });

  it('every registered id refuses an unknown key in its spec config', async () => {
    const registry = createRegistry(api.schedulesPlugin);
    const byId = specCases(takesOptions);
    for (const [who, entry] of Object.entries(noOptions)) {
      if (entry) byId.set(entry[0].spec.id, {who, key: entry[1], config: entry[0].spec.config as object});
    }
    for (const id of registry.ids('schedule')) {
      const entry = byId.get(id);
      expect(entry, id).toBeDefined();
      const config = JSON.parse(JSON.stringify(entry!.config));
      expect(registry.resolve('schedule', {id, config}).spec.id).toBe(id);
      await expectSpecConfigRefused(registry, 'schedule', id, {...entry!, config});
    }
  });
});
