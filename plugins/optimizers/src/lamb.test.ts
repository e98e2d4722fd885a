import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError} from '@trellis/core';
import {expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {expectConfigError} from '../test/config-errors';
import {fixedGrads, makeVariables, SHAPES} from '../test/fixtures';
import {
  against64,
  checkStateAfterOneStep,
  expectRoundTrip,
  itKeepsFrozenSlotsAndLeaksNothing,
  itMatchesKeras64WithDefaultsAndSchedule,
} from '../test/keras64-harness';
import {lamb64, withWeightDecay64} from '../test/keras64';
import {chain} from './chain';
import {lamb} from './lamb';
import {scaleByAdam} from './scale-by-adam';
import {scaleByLearningRate} from './scale-by-learning-rate';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const NAMES = Object.keys(SHAPES);

describe('lamb vs a float64 Keras Lamb', () => {
  itMatchesKeras64WithDefaultsAndSchedule(lamb, lamb64, 0.1);

  it('with weightDecay the trust ratio uses the decayed weights, as in Keras', () => {
    const lr = () => 0.05;
    const ref = withWeightDecay64(lamb64({lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-7}), 0.5, lr);
    const {error} = against64(lamb({learningRate: 0.05, weightDecay: 0.5}), ref, 30, 'fixed');
    expect(error).toBeLessThan(1e-6);
    // Decaying after the ratio was computed from the undecayed weights would differ.
    const undecayedRatio = lamb64({lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-7});
    const decayAfter = (params: Record<string, Float64Array>, grads: Record<string, Float64Array>) => {
      const before = Object.fromEntries(Object.entries(params).map(([n, p]) => [n, Float64Array.from(p)]));
      undecayedRatio(params, grads);
      for (const [n, p] of Object.entries(params)) p.forEach((x, k) => (p[k] = x - before[n]![k]! * 0.5 * 0.05));
    };
    expect(against64(lamb({learningRate: 0.05, weightDecay: 0.5}), decayAfter, 30, 'fixed').error).toBeGreaterThan(1e-5);
  });

  it('the trust ratio matters: without it the steps differ', () => {
    const plain = chain(scaleByAdam({epsilonAfterCorrection: true}), scaleByLearningRate(0.01));
    const {error} = against64(plain, lamb64({lr: () => 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7}), 10);
    expect(error).toBeGreaterThan(1e-3);
  });
});

describe('lamb state and spec', () => {
  it('keeps [{count, mu, nu}, {}, {count}] keyed by variable name', () => {
    checkStateAfterOneStep(lamb(), (state) => {
      const [moments, trust, lr] = state as [
        {count: number; mu: Record<string, tf.Tensor>; nu: Record<string, tf.Tensor>},
        object,
        {count: number},
      ];
      expect(moments.count).toBe(1);
      expect(Object.keys(moments).sort()).toEqual(['count', 'mu', 'nu']);
      expect(Object.keys(moments.mu).sort()).toEqual([...NAMES].sort());
      expect(trust).toEqual({});
      expect(lr).toEqual({count: 1});
    });
  });

  it('update without params is a ConfigError and leaks nothing', async () => {
    const opt = lamb();
    const vars = makeVariables();
    const state = opt.init(vars);
    const g = fixedGrads(0, NAMES);
    expect(() => opt.update(g, state)).toThrow(ConfigError);
    expect(() => opt.update(g, state)).toThrow(/scaleByTrustRatio: update needs the parameters/);
    await expectNoNewTensors(() => opt.update(g, state));
    tf.dispose([...Object.values(g), ...Object.values(vars)]);
    const [moments] = state as readonly [{mu: Record<string, tf.Tensor>; nu: Record<string, tf.Tensor>}];
    tf.dispose([...Object.values(moments.mu), ...Object.values(moments.nu)]);
  });

  itKeepsFrozenSlotsAndLeaksNothing(lamb);

  it('has Keras defaults and round-trips through the registry', () => {
    expect(lamb().spec).toEqual({id: 'trellis/lamb', config: {learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7}});
    expectRoundTrip(lamb({learningRate: 0.02, beta1: 0.85, beta2: 0.99, epsilon: 1e-4}));
  });

  it.each([
    [{learningRate: 0}, /lamb: learningRate must be a finite number > 0/],
    [{beta1: 1}, /lamb: beta1 must be a finite number in \[0, 1\); got 1/],
    [{beta2: -1}, /lamb: beta2/],
    [{epsilon: 0}, /lamb: epsilon must be a finite number > 0; got 0/],
    [{trustRatio: false}, /lamb does not know the option 'trustRatio'/],
  ])('rejects %j with a ConfigError', (options, message) => expectConfigError(lamb, options, message));
});
