// Every learning-rate schedule Keras has, against keras.optimizers.schedules: the
// values at steps 0..199 for several configurations each (boundaries, staircase,
// cycle, alpha, warmup, restarts). Keras computes in float32, Trellis in float64;
// schedules run on the host, so there is no backend to vary.
import {schedules, type Schedule} from 'trellis';
import {afterAll, beforeAll, describe, it} from 'vitest';
import {expectClose, field, worstErrors} from './harness/compare';
import {kerasSchedule} from './harness/keras-config';
import {runKeras, type KerasCase} from './harness/keras';
import type {TreeOut} from './harness/tensor-tree';

const STEPS = 200;
const TOLERANCE = 1e-6;

const cases: Readonly<Record<string, Schedule>> = {
  exponential: schedules.exponentialDecay({initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9}),
  exponentialStaircase: schedules.exponentialDecay({initialLearningRate: 0.05, decaySteps: 7, decayRate: 0.5, staircase: true}),
  exponentialSlow: schedules.exponentialDecay({initialLearningRate: 0.3, decaySteps: 100, decayRate: 0.96}),
  exponentialFractionalSteps: schedules.exponentialDecay({initialLearningRate: 0.01, decaySteps: 2.5, decayRate: 0.99}),
  piecewise: schedules.piecewiseConstantDecay({boundaries: [10, 50, 120], values: [0.1, 0.05, 0.01, 0.001]}),
  piecewiseAtZero: schedules.piecewiseConstantDecay({boundaries: [0, 199], values: [0.5, 0.25, 0.125]}),
  piecewiseIntegralValues: schedules.piecewiseConstantDecay({boundaries: [99], values: [1, 2]}),
  inverseTime: schedules.inverseTimeDecay({initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5}),
  inverseTimeStaircase: schedules.inverseTimeDecay({initialLearningRate: 0.1, decaySteps: 7, decayRate: 2, staircase: true}),
  inverseTimeFractionalSteps: schedules.inverseTimeDecay({initialLearningRate: 0.2, decaySteps: 0.5, decayRate: 0.1}),
  polynomialDefaults: schedules.polynomialDecay({initialLearningRate: 0.1, decaySteps: 100}),
  polynomialSqrt: schedules.polynomialDecay({initialLearningRate: 0.1, decaySteps: 50, endLearningRate: 0.01, power: 0.5}),
  polynomialCycle: schedules.polynomialDecay({initialLearningRate: 0.1, decaySteps: 30, endLearningRate: 0.001, power: 2, cycle: true}),
  polynomialCycleToZero: schedules.polynomialDecay({initialLearningRate: 0.05, decaySteps: 64, endLearningRate: 0, cycle: true}),
  cosine: schedules.cosineDecay({initialLearningRate: 0.1, decaySteps: 100}),
  cosineAlpha: schedules.cosineDecay({initialLearningRate: 0.1, decaySteps: 150, alpha: 0.1}),
  cosineWarmupFromZero: schedules.cosineDecay({initialLearningRate: 0, decaySteps: 100, warmupTarget: 0.1, warmupSteps: 20}),
  cosineWarmupAlpha: schedules.cosineDecay({initialLearningRate: 0.01, decaySteps: 80, alpha: 0.05, warmupTarget: 0.2, warmupSteps: 50}),
  cosineWarmupTargetNoSteps: schedules.cosineDecay({initialLearningRate: 0.05, decaySteps: 120, warmupTarget: 0.1}),
  cosineStepsIgnoredWithoutTarget: schedules.cosineDecay({initialLearningRate: 0.1, decaySteps: 90, warmupSteps: 30}),
  restartsDefaults: schedules.cosineDecayRestarts({initialLearningRate: 0.1, firstDecaySteps: 10}),
  restartsAll: schedules.cosineDecayRestarts({initialLearningRate: 0.1, firstDecaySteps: 7, tMul: 1.5, mMul: 0.8, alpha: 0.1}),
  restartsTriple: schedules.cosineDecayRestarts({initialLearningRate: 0.05, firstDecaySteps: 13, tMul: 3, mMul: 0.5}),
  restartsEqualPeriods: schedules.cosineDecayRestarts({initialLearningRate: 0.1, firstDecaySteps: 20, tMul: 1, mMul: 0.9, alpha: 0.05}),
  restartsShortFirst: schedules.cosineDecayRestarts({initialLearningRate: 0.1, firstDecaySteps: 3, tMul: 2}),
  stepDecayAsStaircase: schedules.stepDecay({initialLearningRate: 0.1, dropRate: 0.5, epochsPerDrop: 2, stepsPerEpoch: 7}),
};

describe('schedules vs keras.optimizers.schedules', () => {
  let keras: Record<string, TreeOut>;
  beforeAll(async () => {
    const kerasCases: Record<string, KerasCase> = {};
    for (const [name, schedule] of Object.entries(cases)) {
      kerasCases[name] = {kind: 'schedule', schedule: kerasSchedule(schedule.spec), steps: STEPS};
    }
    keras = await runKeras('schedules', kerasCases);
  }, 120_000);
  afterAll(() => console.log(`schedules: ${worstErrors()}`));

  for (const [name, schedule] of Object.entries(cases)) {
    it(`${name} (${schedule.spec.id})`, async () => {
      const ours = Array.from({length: STEPS}, (_, step) => schedule(step));
      await expectClose(`${name} steps 0..${STEPS - 1}`, ours, field(keras[name], 'values'), TOLERANCE);
    });
  }
});
