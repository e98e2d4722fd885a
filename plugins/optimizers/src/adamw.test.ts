import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {withSpec} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {expectConfigError} from '../test/config-errors';
import {trainOurs} from '../test/train';
import {adam64, fixedGrads, maxRelDiff, SHAPES} from '../test/fixtures';
import {against64, checkStateAfterOneStep, expectFrozenKeepsSlots, expectNoLeaks, expectRoundTrip} from '../test/keras64-harness';
import {adamAmsgrad64, withWeightDecay64} from '../test/keras64';
import {adam} from './adam';
import {adamw} from './adamw';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const NAMES = Object.keys(SHAPES);

describe('adamw vs a float64 Keras AdamW', () => {
  it('matches over 30 steps of the model with the default weight decay 0.004', () => {
    const lr = () => 0.01;
    const ref = withWeightDecay64(adam64({lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, kerasEpsilon: true}), 0.004, lr);
    const {error, moved} = against64(adamw({learningRate: 0.01}), ref, 30);
    expect(moved).toBeGreaterThan(0.3);
    expect(error).toBeLessThan(2e-6);
  });

  it('matches with a schedule (the decay follows it), a large weight decay, other betas and amsgrad', () => {
    const decay = (step: number) => 0.05 / (1 + 0.1 * step);
    const schedule = withSpec({id: 'test/inverse', config: {}}, decay);
    const ref = withWeightDecay64(adamAmsgrad64({lr: decay, beta1: 0.8, beta2: 0.9, epsilon: 1e-3}), 0.5, decay);
    const {error} = against64(
      adamw({learningRate: schedule, weightDecay: 0.5, beta1: 0.8, beta2: 0.9, epsilon: 1e-3, amsgrad: true}),
      ref,
      40,
      'fixed',
    );
    expect(error).toBeLessThan(1e-6);
  });

  it('is adam with weightDecay 0.004: equal to adam({weightDecay: 0.004}), not to plain adam', () => {
    const train = (opt: ReturnType<typeof adam>) => trainOurs(opt, 10, (i) => fixedGrads(i, NAMES));

    const ours = train(adamw({learningRate: 0.1}));
    expect(ours).toEqual(train(adam({learningRate: 0.1, weightDecay: 0.004})));
    expect(maxRelDiff(ours, train(adam({learningRate: 0.1})))).toBeGreaterThan(1e-3);
    expect(train(adamw({learningRate: 0.1, weightDecay: 0}))).toEqual(train(adam({learningRate: 0.1})));
  });
});

describe('adamw state and spec', () => {
  it('keeps Adam slots keyed by variable name inside the weight-decay state', () => {
    checkStateAfterOneStep(adamw(), (state) => {
      const [decay] = state as [
        {count: number; inner: [{count: number; mu: Record<string, tf.Tensor>; nu: Record<string, tf.Tensor>}, {count: number}]},
      ];
      expect(decay.count).toBe(1);
      const [moments] = decay.inner;
      expect(Object.keys(moments.mu).sort()).toEqual([...NAMES].sort());
      expect(Object.keys(moments.nu).sort()).toEqual([...NAMES].sort());
    });
  });

  it('a frozen variable keeps its value and slots (no decay without a gradient, as in Keras)', () =>
    expectFrozenKeepsSlots(() => adamw({learningRate: 0.01, weightDecay: 0.1, amsgrad: true})));
  it('leaks nothing', () => expectNoLeaks(() => adamw()));

  it('has Keras defaults (weightDecay 0.004 always in the spec) and round-trips through the registry', () => {
    expect(adamw().spec).toEqual({
      id: 'trellis/adamw',
      config: {learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false, weightDecay: 0.004},
    });
    expect(adamw({weightDecay: 0}).spec.config.weightDecay).toBe(0);
    expectRoundTrip(adamw({learningRate: 0.02, weightDecay: 0.1, beta1: 0.85, epsilon: 1e-4, amsgrad: true}));
    expectRoundTrip(adamw({clipNorm: 0.5}));
  });

  it.each([
    [{learningRate: 0}, /adamw: learningRate must be a finite number > 0/],
    [{weightDecay: -0.1}, /adamw: weightDecay must be a finite number >= 0/],
    [{weightDecay: null}, /adamw: weightDecay must be a finite number >= 0 \(default 0.004\); got null/],
    [{beta1: 1}, /adamw: beta1 must be a finite number in \[0, 1\); got 1/],
    [{epsilon: 0}, /adamw: epsilon must be a finite number > 0; got 0/],
    [{amsgrad: 1}, /adamw: amsgrad must be true or false/],
    [{decay: 0.1}, /adamw does not know the option 'decay'/],
  ])('rejects %j with a ConfigError', (options, message) => expectConfigError(adamw, options, message));
});
