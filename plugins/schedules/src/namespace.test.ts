// The namespace reaches every public factory of the package, under its plain name, as the very
// same function the flat export names.
import {expect, expectTypeOf, it} from 'vitest';
import {describeNamespaces} from '@trellis/testing';
import * as api from './index';
import {schedules} from './index';

// Arguments for every factory, so the spec id check sees every schedule's spec.
const specArgs: Record<string, readonly unknown[]> = {
  'schedules.constant': [0.1],
  'schedules.cosineDecay': [{initialLearningRate: 0.1, decaySteps: 10}],
  'schedules.cosineDecayRestarts': [{initialLearningRate: 0.1, firstDecaySteps: 10}],
  'schedules.exponentialDecay': [{initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5}],
  'schedules.inverseTimeDecay': [{initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5}],
  'schedules.join': [[schedules.constant(0.1), schedules.constant(0.01)], [5]],
  'schedules.linearWarmup': [{initialLearningRate: 0, warmupSteps: 5, warmupTarget: 0.1}],
  'schedules.oneCycle': [{maxLearningRate: 0.1, totalSteps: 10}],
  'schedules.piecewiseConstantDecay': [{boundaries: [5], values: [0.1, 0.01]}],
  'schedules.polynomialDecay': [{initialLearningRate: 0.1, decaySteps: 10}],
  'schedules.stepDecay': [{initialLearningRate: 0.1, dropRate: 0.5, epochsPerDrop: 2, stepsPerEpoch: 5}],
};

describeNamespaces(
  api,
  {schedules},
  {
    // Value exports that are not factories: the schedulePoints helper and the plugin.
    notFactories: ['schedulePoints', 'schedulesPlugin'],
    // Deprecated flat names bent to dodge clashes -> their plain namespace member.
    renamed: {constantSchedule: schedules.constant},
    specArgs,
    callFactories: true,
  },
  () => {
    it('is typed as the flat exports', () => {
      expect(schedules.constant).toBe(api.constantSchedule);
      expect(schedules.cosineDecay).toBe(api.cosineDecay);
      expectTypeOf(schedules.constant).toEqualTypeOf(api.constantSchedule);
      expect(schedules.constant).toBe(api.constantSchedule);
    });
  },
);
