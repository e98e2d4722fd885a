// describeOptimizer over a small Adam written here, and each of its checks
// against a copy of that Adam with one property broken: every check must fail.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, withSpec, type GradientTransform, type NamedTensors, type Optimizer, type Plugin, type Schedule} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {describeOptimizer} from './describe-optimizer';
import {
  checkBadConfig,
  checkFreezing,
  checkNoLeaks,
  checkQuadraticBowl,
  checkRosenbrock,
  checkSchedule,
  checkSpecRoundTrip,
  checkStateKeyedByName,
  checkStateRoundTrip,
  type OptimizerCases,
} from './optimizer-checks';

type MiniAdamOptions = {learningRate?: number | Schedule; beta1?: number; beta2?: number; epsilon?: number};
type MiniAdamState = {count: number | tf.Tensor; m: NamedTensors; v: NamedTensors};
type Bug =
  | 'ascent'
  | 'hiddenMoment'
  | 'tensorCounter'
  | 'dropsFrozenSlots'
  | 'decaysFrozenSlots'
  | 'leaks'
  | 'scheduleOffByOne'
  | 'firstRateOnly'
  | 'specDropsBeta1'
  | 'acceptsNegativeRate'
  | 'typeErrorForBeta';

/** Adam with optax' epsilon placement, plus an optional bug. */
function miniAdam(options: MiniAdamOptions = {}, bug?: Bug): Optimizer {
  const {learningRate = 1e-3, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7} = options;
  if (typeof learningRate !== 'function' && !(learningRate > 0) && bug !== 'acceptsNegativeRate') {
    throw new ConfigError(`miniAdam: learningRate must be > 0; got ${learningRate}.`);
  }
  for (const [key, beta] of [
    ['beta1', beta1],
    ['beta2', beta2],
  ] as const) {
    if (!(beta >= 0 && beta < 1)) {
      if (bug === 'typeErrorForBeta') throw new TypeError(`bad ${key}`);
      throw new ConfigError(`miniAdam: ${key} must be in [0, 1); got ${beta}.`);
    }
  }
  if (!(epsilon > 0)) throw new ConfigError(`miniAdam: epsilon must be > 0; got ${epsilon}.`);
  let firstRate: number | undefined;
  const rate = (count: number): number => {
    if (typeof learningRate === 'number') return learningRate;
    if (bug === 'scheduleOffByOne') return learningRate(count + 1);
    const value = learningRate(count);
    firstRate ??= value;
    return bug === 'firstRateOnly' ? firstRate : value;
  };
  const hidden = new Map<string, tf.Tensor>();
  const zeros = (params: NamedTensors) => Object.fromEntries(Object.entries(params).map(([n, p]) => [n, tf.zerosLike(p)]));
  const transform: GradientTransform<MiniAdamState> = {
    init: (params) => ({count: bug === 'tensorCounter' ? tf.scalar(0) : 0, m: zeros(params), v: zeros(params)}),
    update(grads, state) {
      const count = typeof state.count === 'number' ? state.count : (state.count.arraySync() as number);
      const t = count + 1;
      const lr = rate(count) * (bug === 'ascent' ? -1 : 1);
      if (bug === 'leaks') tf.keep(tf.scalar(lr));
      const updates: Record<string, tf.Tensor> = {};
      const m: Record<string, tf.Tensor> = {};
      const v: Record<string, tf.Tensor> = {};
      const names = bug === 'decaysFrozenSlots' ? Object.keys(state.m) : Object.keys(grads);
      for (const name of names) {
        const g = grads[name] ?? tf.zerosLike(state.m[name]!);
        const mPrev = bug === 'hiddenMoment' ? (hidden.get(name) ?? tf.zerosLike(g)) : state.m[name]!;
        m[name] = tf.add(tf.mul(mPrev, beta1), tf.mul(g, 1 - beta1));
        v[name] = tf.add(tf.mul(state.v[name]!, beta2), tf.mul(tf.square(g), 1 - beta2));
        if (bug === 'hiddenMoment') hidden.set(name, tf.keep(tf.clone(m[name])));
        const mHat = tf.div(m[name], 1 - beta1 ** t);
        const vHat = tf.div(v[name], 1 - beta2 ** t);
        if (name in grads) updates[name] = tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon)), -lr);
      }
      for (const name of Object.keys(state.m)) {
        if (name in m || bug === 'dropsFrozenSlots') continue;
        m[name] = tf.clone(state.m[name]!);
        v[name] = tf.clone(state.v[name]!);
      }
      return {updates, state: {count: bug === 'tensorCounter' ? tf.scalar(t) : t, m, v}};
    },
  };
  const config = {learningRate: typeof learningRate === 'number' ? learningRate : learningRate.spec, beta1, beta2, epsilon};
  if (bug === 'specDropsBeta1') delete (config as {beta1?: number}).beta1;
  return withSpec({id: 'testing/miniAdam', config}, transform as GradientTransform);
}

const plugin: Plugin = {
  name: 'mini-adam',
  specVersion: 1,
  setup: (registry) => void registry.register('optimizer', 'testing/miniAdam', (config) => miniAdam(config)),
};

const cases: OptimizerCases<MiniAdamOptions> = {
  options: {learningRate: 0.05, beta1: 0.8},
  plugin,
  badConfigs: {negativeLearningRate: {learningRate: -0.01}, betaAboveOne: {beta2: 1.5}, zeroEpsilon: {epsilon: 0}},
  rosenbrock: {options: {learningRate: 0.03}},
};

describeOptimizer('miniAdam', (options) => miniAdam(options), cases);

describe('describeOptimizer checks fail for a broken optimizer', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  const broken = (bug: Bug) => (options: MiniAdamOptions) => miniAdam(options, bug);

  it('converging: an update of the wrong sign', () => {
    expect(() => checkQuadraticBowl(broken('ascent'), cases)).toThrow(/Quadratic bowl: the loss went from 8/);
    expect(() => checkRosenbrock(broken('ascent'), cases)).toThrow(/Rosenbrock: after 3000 steps/);
  });

  it('converging: too few steps for the threshold', () => {
    expect(() => checkQuadraticBowl(miniAdam, {...cases, quadratic: {steps: 20}})).toThrow(/expected below 0.001/);
    expect(() => checkRosenbrock(miniAdam, {...cases, rosenbrock: {steps: 100}})).toThrow(/expected within 0.05 of \(1, 1\)/);
  });

  it('state round trip: a moment kept outside the state', () => {
    expect(() => checkStateRoundTrip(broken('hiddenMoment'), cases)).toThrow(/State round trip: variables after restoring at step 6/);
  });

  it('keyed by name: a step counter kept as a tensor', () => {
    expect(() => checkStateKeyedByName(broken('tensorCounter'), cases)).toThrow(/1 of 5 state tensors are not under a variable's name/);
  });

  it('freezing: slots dropped, or decayed, while a variable has no gradient', () => {
    expect(() => checkFreezing(broken('decaysFrozenSlots'), cases)).toThrow(/the slots of 'bowl\/bias' while frozen/);
    expect(() => checkFreezing(broken('dropsFrozenSlots'), cases)).toThrow(/the slots of 'bowl\/bias' while frozen: state has the entries/);
  });

  it('leaks: a tensor kept on every step', async () => {
    await expect(checkNoLeaks(broken('leaks'), cases)).rejects.toThrow(/Tensor leak/);
  });

  it('schedule: called with the wrong step, or its later values ignored', () => {
    expect(() => checkSchedule(broken('scheduleOffByOne'), cases)).toThrow(/schedule was called with \[1, 2, /);
    expect(() => checkSchedule(broken('firstRateOnly'), cases)).toThrow(/the schedule's value does not reach the update/);
  });

  it('spec round trip: an option missing from the spec', () => {
    expect(() => checkSpecRoundTrip(broken('specDropsBeta1'), cases)).toThrow(/registry.resolve\('optimizer', spec\) gave the spec/);
  });

  it('bad configs: accepted, or refused with another error type', async () => {
    await expect(checkBadConfig(broken('acceptsNegativeRate'), cases, 'negativeLearningRate')).rejects.toThrow(/returned normally/);
    await expect(checkBadConfig(broken('typeErrorForBeta'), cases, 'betaAboveOne')).rejects.toThrow(/it threw TypeError: bad beta2/);
  });
});
