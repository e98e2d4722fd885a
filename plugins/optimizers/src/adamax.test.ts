import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {withSpec} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {expectConfigError} from '../test/config-errors';
import {maxRelDiff, SHAPES} from '../test/fixtures';
import {against64, checkStateAfterOneStep, expectRoundTrip, itKeepsFrozenSlotsAndLeaksNothing} from '../test/keras64-harness';
import {adamax64} from '../test/keras64';
import {trainBothFixed} from '../test/train';
import {adamax} from './adamax';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const NAMES = Object.keys(SHAPES);

describe('adamax vs a float64 Keras Adamax', () => {
  it('matches over 20 steps of the model and 40 fixed-gradient steps with the defaults', () => {
    const ref = () => adamax64({lr: () => 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7});
    const model = against64(adamax({learningRate: 0.01}), ref(), 20);
    expect(model.moved).toBeGreaterThan(0.3);
    expect(model.error).toBeLessThan(2e-6);
    const fixed = against64(adamax({learningRate: 0.01}), ref(), 40, 'fixed');
    expect(fixed.moved).toBeGreaterThan(0.1);
    expect(fixed.error).toBeLessThan(1e-6);
  });

  it('matches with a scheduled lr, other betas and a large epsilon', () => {
    const decay = (step: number) => 0.05 / (1 + 0.1 * step);
    const {error} = against64(
      adamax({learningRate: withSpec({id: 'test/inverse', config: {}}, decay), beta1: 0.8, beta2: 0.9, epsilon: 0.01}),
      adamax64({lr: decay, beta1: 0.8, beta2: 0.9, epsilon: 0.01}),
      40,
    );
    expect(error).toBeLessThan(1e-5);
  });
});

describe('adamax vs tf.train.adamax', () => {
  it('agrees when decay is 0 and the learning rate and epsilon are the same (the formulas coincide)', () => {
    const {ours, theirs} = trainBothFixed(adamax({learningRate: 0.01}), tf.train.adamax(0.01, 0.9, 0.999, 1e-7, 0), 30);
    expect(maxRelDiff(ours, theirs)).toBeLessThan(1e-6);
  });

  it("differs in the defaults: tfjs' rate is 0.002, Keras' 0.001", () => {
    const {ours, theirs} = trainBothFixed(adamax(), tf.train.adamax(), 10);
    const {ours: same} = trainBothFixed(adamax({learningRate: 0.002}), tf.train.adamax(), 10);
    expect(maxRelDiff(ours, theirs)).toBeGreaterThan(1e-3);
    expect(maxRelDiff(same, theirs)).toBeLessThan(1e-6);
  });

  it("tfjs' decay is the schedule lr / (1 + decay * step), which adamax expresses as a learning-rate schedule", () => {
    const decay = 0.05;
    const schedule = withSpec({id: 'test/inverseTime', config: {}}, (step: number) => 0.01 / (1 + decay * step));
    const {ours, theirs} = trainBothFixed(adamax({learningRate: schedule}), tf.train.adamax(0.01, 0.9, 0.999, 1e-7, decay), 30);
    expect(maxRelDiff(ours, theirs)).toBeLessThan(1e-6);
    const {ours: constant} = trainBothFixed(adamax({learningRate: 0.01}), tf.train.adamax(0.01, 0.9, 0.999, 1e-7, decay), 30);
    expect(maxRelDiff(constant, theirs)).toBeGreaterThan(1e-2);
  });
});

describe('adamax state and spec', () => {
  it('keeps {count, mu, nu} keyed by variable name', () => {
    checkStateAfterOneStep(adamax(), (state) => {
      const [moments, lr] = state as [{count: number; mu: object; nu: object}, {count: number}];
      expect(moments.count).toBe(1);
      expect(Object.keys(moments.mu).sort()).toEqual([...NAMES].sort());
      expect(Object.keys(moments.nu).sort()).toEqual([...NAMES].sort());
      expect(lr).toEqual({count: 1});
    });
  });

  itKeepsFrozenSlotsAndLeaksNothing(adamax);

  it('has Keras defaults and round-trips through the registry', () => {
    expect(adamax().spec).toEqual({id: 'trellis/adamax', config: {learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7}});
    expectRoundTrip(adamax({learningRate: 0.02, beta1: 0.85, beta2: 0.99, epsilon: 1e-4}));
  });

  it.each([
    [{learningRate: -1}, /adamax: learningRate must be a finite number > 0/],
    [{beta1: 1}, /adamax: beta1 must be a finite number in \[0, 1\); got 1/],
    [{beta2: -0.1}, /adamax: beta2/],
    [{epsilon: 0}, /adamax: epsilon must be a finite number > 0; got 0/],
    [{decay: 0.1}, /adamax does not know the option 'decay'/],
  ])('rejects %j with a ConfigError', (options, message) => expectConfigError(adamax, options, message));
});
