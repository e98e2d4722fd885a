// Keras' common optimizer options on the named optimizers (sgd, adam): each
// against a float64 Keras base optimizer (test/common64.ts), their spec form,
// their errors, and no leaks.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, StatefulOptimizer, tensorsIn, withSpec, type Optimizer, type Schedule} from '@trellis/core';
import {catchError} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {keras64, type Common64, type Rule64} from '../test/common64';
import {adam64, copy, fixedGrad64, grads64, gradsTf, initialValues, makeVariables, maxRelDiff, read, sgd64, SHAPES} from '../test/fixtures';
import {expectFrozenKeepsSlots, expectNoLeaks, expectRoundTrip} from '../test/keras64-harness';
import {constantLr, fixedTensors} from '../test/train';
import {adam} from './adam';
import {sgd} from './sgd';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const NAMES = Object.keys(SHAPES);
const decaying = withSpec(
  {id: 'test/decaying', config: {}},
  ((step: number) => 0.05 * 0.9 ** step) as (step: number) => number,
) as Schedule;

const sgdRule =
  (momentum: number, nesterov = false): Rule64 =>
  (lr) =>
    sgd64({lr, momentum, nesterov});
const adamRule: Rule64 = (lr) => adam64({lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, kerasEpsilon: true});

/**
 * Trains the fixture variables with `optimizer` and with the float64 Keras
 * reference for `steps` updates (fixed gradients, or the fixture model's
 * gradients of each side's own parameters), then finalizes both. Returns the
 * worst relative error over every step and after finalize, and how far the
 * variables moved.
 */
function run(optimizer: Optimizer, rule: Rule64, o: Common64, steps = 12, source: 'fixed' | 'model' = 'fixed') {
  const vars = makeVariables();
  const s = new StatefulOptimizer(optimizer);
  const ref = keras64(rule, o);
  const params = copy(initialValues());
  const fixed = fixedTensors();
  let error = 0;
  for (let i = 0; i < steps; i++) {
    const g = source === 'fixed' ? fixed(i) : gradsTf(vars);
    s.applyGradients(g, vars);
    tf.dispose(Object.values(g));
    ref.step(params, source === 'fixed' ? Object.fromEntries(NAMES.map((n) => [n, fixedGrad64(i, n)])) : grads64(params));
    error = Math.max(error, maxRelDiff(read(vars), params));
  }
  const beforeFinalize = read(vars);
  s.finalize(vars);
  ref.finalize(params);
  const finalized = read(vars);
  error = Math.max(error, maxRelDiff(finalized, params));
  const moved = maxRelDiff(finalized, initialValues());
  s.dispose();
  tf.dispose(Object.values(vars));
  return {error, moved, finalizeChanged: maxRelDiff(finalized, beforeFinalize) > 0};
}

describe('common options against a float64 Keras optimizer', () => {
  const cases: [string, () => Optimizer, Rule64, Common64][] = [
    ['sgd weightDecay', () => sgd({learningRate: 0.1, weightDecay: 0.05}), sgdRule(0), {lr: constantLr(0.1), weightDecay: 0.05}],
    [
      'sgd momentum weightDecay with a schedule',
      () => sgd({learningRate: decaying, momentum: 0.9, weightDecay: 0.1}),
      sgdRule(0.9),
      {lr: decaying, weightDecay: 0.1},
    ],
    ['adam weightDecay', () => adam({learningRate: 0.01, weightDecay: 0.004}), adamRule, {lr: constantLr(0.01), weightDecay: 0.004}],
    ['sgd clipNorm', () => sgd({learningRate: 0.1, clipNorm: 0.05}), sgdRule(0), {lr: constantLr(0.1), clipNorm: 0.05}],
    ['adam clipNorm', () => adam({learningRate: 0.01, clipNorm: 0.05}), adamRule, {lr: constantLr(0.01), clipNorm: 0.05}],
    ['sgd clipValue', () => sgd({learningRate: 0.1, momentum: 0.5, clipValue: 0.02}), sgdRule(0.5), {lr: constantLr(0.1), clipValue: 0.02}],
    ['adam clipValue', () => adam({learningRate: 0.01, clipValue: 0.02}), adamRule, {lr: constantLr(0.01), clipValue: 0.02}],
    ['sgd globalClipNorm', () => sgd({learningRate: 0.1, globalClipNorm: 0.1}), sgdRule(0), {lr: constantLr(0.1), globalClipNorm: 0.1}],
    ['adam globalClipNorm', () => adam({learningRate: 0.01, globalClipNorm: 0.1}), adamRule, {lr: constantLr(0.01), globalClipNorm: 0.1}],
    [
      'sgd nesterov gradientAccumulationSteps 3',
      () => sgd({learningRate: 0.1, momentum: 0.9, nesterov: true, gradientAccumulationSteps: 3}),
      sgdRule(0.9, true),
      {lr: constantLr(0.1), accumulationSteps: 3},
    ],
    [
      'adam gradientAccumulationSteps 3 with a schedule (raw steps) and weight decay',
      () => adam({learningRate: decaying, gradientAccumulationSteps: 3, weightDecay: 0.1}),
      adamRule,
      {lr: decaying, accumulationSteps: 3, weightDecay: 0.1},
    ],
    ['sgd useEma', () => sgd({learningRate: 0.1, momentum: 0.9, useEma: true}), sgdRule(0.9), {lr: constantLr(0.1), ema: {momentum: 0.99}}],
    [
      'adam useEma, emaMomentum 0.8, overwrite every 4',
      () => adam({learningRate: 0.01, useEma: true, emaMomentum: 0.8, emaOverwriteFrequency: 4}),
      adamRule,
      {lr: constantLr(0.01), ema: {momentum: 0.8, overwriteFrequency: 4}},
    ],
    [
      'adam useEma with gradientAccumulationSteps 2 (EMA iterations count updates)',
      () => adam({learningRate: 0.01, useEma: true, emaMomentum: 0.7, emaOverwriteFrequency: 2, gradientAccumulationSteps: 2}),
      adamRule,
      {lr: constantLr(0.01), accumulationSteps: 2, ema: {momentum: 0.7, overwriteFrequency: 2}},
    ],
    [
      'sgd with every option',
      () =>
        sgd({
          learningRate: decaying,
          momentum: 0.9,
          weightDecay: 0.05,
          clipNorm: 0.1,
          gradientAccumulationSteps: 2,
          useEma: true,
          emaMomentum: 0.9,
          emaOverwriteFrequency: 3,
        }),
      sgdRule(0.9),
      {lr: decaying, weightDecay: 0.05, clipNorm: 0.1, accumulationSteps: 2, ema: {momentum: 0.9, overwriteFrequency: 3}},
    ],
  ];

  it.each(cases)('%s (fixed gradients, 12 steps)', (_name, make, rule, o) => {
    const {error, moved} = run(make(), rule, o, 12, 'fixed');
    expect(moved).toBeGreaterThan(1e-3);
    // Measured: at most 4.7e-7 (float32 rounding).
    expect(error).toBeLessThan(1e-6);
  });

  it.each(cases)('%s (gradients of the model, 30 steps)', (_name, make, rule, o) => {
    const {error, moved} = run(make(), rule, o, 30, 'model');
    expect(moved).toBeGreaterThan(1e-3);
    // Measured: at most 4.2e-6 (float32 gradients of float32 parameters drift from float64 over 30 steps).
    expect(error).toBeLessThan(1e-5);
  });

  it('each option changes the result (the reference is not the plain rule)', () => {
    for (const [name, make, rule, o] of cases) {
      const plain = run(make(), rule, {lr: o.lr}, 12);
      expect(plain.error, name).toBeGreaterThan(1e-4);
    }
  });

  it('finalize writes the EMA averages; without useEma it changes nothing', () => {
    expect(run(adam({learningRate: 0.01, useEma: true}), adamRule, {lr: constantLr(0.01), ema: {momentum: 0.99}}).finalizeChanged).toBe(
      true,
    );
    expect(run(adam({learningRate: 0.01, clipNorm: 0.1}), adamRule, {lr: constantLr(0.01), clipNorm: 0.1}).finalizeChanged).toBe(false);
  });

  it('weight decay uses the learning rate of the current step (a schedule), not the initial one', () => {
    const o: Common64 = {lr: decaying, weightDecay: 0.5};
    expect(run(sgd({learningRate: decaying, weightDecay: 0.5}), sgdRule(0), o, 20).error).toBeLessThan(2e-6);
    // A reference that decays with the initial rate instead is far from it.
    const initialRate = run(sgd({learningRate: decaying, weightDecay: 0.5}), sgdRule(0), {...o, decayLr: () => decaying(0)}, 20);
    expect(initialRate.error).toBeGreaterThan(1e-3);
  });
});

describe('common options: spec, state and errors', () => {
  it('only the options that were set go into the spec; without any the spec and state are unchanged', () => {
    expect(sgd().spec.config).toEqual({learningRate: 0.01, momentum: 0, nesterov: false});
    expect(sgd({clipNorm: 1, useEma: false}).spec.config).toEqual({
      learningRate: 0.01,
      momentum: 0,
      nesterov: false,
      clipNorm: 1,
      useEma: false,
    });
    expect(
      adam({weightDecay: 0.01, gradientAccumulationSteps: 4, useEma: true, emaMomentum: 0.9, emaOverwriteFrequency: 10}).spec.config,
    ).toEqual({
      ...adam().spec.config,
      weightDecay: 0.01,
      gradientAccumulationSteps: 4,
      useEma: true,
      emaMomentum: 0.9,
      emaOverwriteFrequency: 10,
    });
    const w = {w: tf.zeros([2])};
    const plain = sgd().init(w);
    expect(plain).toEqual([{count: 0}]);
    const ema = sgd({useEma: true}).init(w);
    expect(ema.length).toBe(2);
    tf.dispose([w.w, ...tensorsIn(ema)]);
  });

  it('round-trips through the registry with every option, and trains identically', () => {
    expectRoundTrip(sgd({learningRate: 0.05, momentum: 0.9, weightDecay: 0.01, clipValue: 0.5, gradientAccumulationSteps: 2}));
    expectRoundTrip(adam({weightDecay: 0.004, globalClipNorm: 1, useEma: true, emaMomentum: 0.5, emaOverwriteFrequency: 2}));
    expectRoundTrip(adam({clipNorm: 0.5, useEma: false, emaMomentum: 0.9}));
  });

  it('leaks no tensor with every option', async () => {
    await expectNoLeaks(() =>
      adam({weightDecay: 0.01, clipNorm: 0.1, gradientAccumulationSteps: 3, useEma: true, emaOverwriteFrequency: 2}),
    );
    await expectNoLeaks(() => sgd({momentum: 0.9, globalClipNorm: 0.1, useEma: true}));
  });

  it('a frozen variable keeps its slots (accumulators, moments, average) under every option', () => {
    expectFrozenKeepsSlots(() => adam({weightDecay: 0.01, clipNorm: 0.1, gradientAccumulationSteps: 2, useEma: true}));
    expectFrozenKeepsSlots(() => sgd({momentum: 0.9, weightDecay: 0.01, clipValue: 0.1, gradientAccumulationSteps: 3}));
  });

  it.each([
    [{weightDecay: -0.1}, /sgd: weightDecay must be a finite number >= 0; got -0.1/],
    [{weightDecay: Number.NaN}, /weightDecay must be a finite number >= 0/],
    [{clipNorm: 0}, /sgd: clipNorm must be a finite number > 0; got 0/],
    [{clipNorm: -1}, /clipNorm must be a finite number > 0/],
    [{clipValue: 0}, /clipValue must be a finite number > 0/],
    [{globalClipNorm: -2}, /globalClipNorm must be a finite number > 0/],
    [
      {clipNorm: 1, globalClipNorm: 1},
      /only one of clipNorm, clipValue and globalClipNorm can be set \(as in Keras\); got clipNorm: 1, globalClipNorm: 1/,
    ],
    [{clipNorm: 1, clipValue: 1}, /only one of clipNorm, clipValue and globalClipNorm/],
    [{gradientAccumulationSteps: 0}, /gradientAccumulationSteps must be an integer >= 2 .*got 0/],
    [{gradientAccumulationSteps: 1}, /gradientAccumulationSteps must be an integer >= 2/],
    [{gradientAccumulationSteps: 2.5}, /gradientAccumulationSteps must be an integer >= 2 .*got 2.5/],
    [{useEma: 1}, /useEma must be true or false/],
    [{useEma: true, emaMomentum: 1.5}, /emaMomentum must be a finite number in \[0, 1\]; got 1.5/],
    [{useEma: true, emaMomentum: -0.1}, /emaMomentum must be a finite number in \[0, 1\]/],
    [{useEma: true, emaOverwriteFrequency: 0}, /emaOverwriteFrequency must be an integer >= 1/],
    [{useEma: true, emaOverwriteFrequency: 1.5}, /emaOverwriteFrequency must be an integer >= 1/],
    [{weightdecay: 0.1}, /does not know the option 'weightdecay'/],
  ])('sgd(%j) throws a ConfigError', (options, message) => {
    const error = catchError(() => sgd(options as never));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect(() => adam(options as never)).toThrow(ConfigError);
  });

  it('accepts the edges Keras accepts: weightDecay 0, emaMomentum 0 and 1', () => {
    expect(() => sgd({weightDecay: 0})).not.toThrow();
    expect(() => adam({useEma: true, emaMomentum: 0})).not.toThrow();
    expect(() => adam({useEma: true, emaMomentum: 1})).not.toThrow();
  });
});
