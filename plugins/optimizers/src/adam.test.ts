import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {StatefulOptimizer, withSpec} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {
  adam64,
  copy,
  fixedGrad64,
  fixedGrads,
  initialValues,
  makeVariables,
  maxAbsDiff,
  maxRelDiff,
  read,
  SHAPES,
  subtract,
  type Arrays,
} from '../test/fixtures';
import {expectConfigError} from '../test/config-errors';
import {against64, expectFrozenKeepsSlots, expectNoLeaks, expectRoundTrip} from '../test/keras64-harness';
import {adamAmsgrad64} from '../test/keras64';
import {trainBothFixed} from '../test/train';
import {adam} from './adam';
import {chain} from './chain';
import {scaleByAdam} from './scale-by-adam';
import {scaleByLearningRate} from './scale-by-learning-rate';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const NAMES = Object.keys(SHAPES);

function maxAbs(a: Arrays): number {
  return Math.max(...Object.values(a).flatMap((v) => Array.from(v, Math.abs)));
}

/** Runs ours and tf.train.adam on the same fixed gradients; returns both end states. */
function runBoth(options: {learningRate: number; epsilon: number}, steps: number) {
  return trainBothFixed(adam(options), tf.train.adam(options.learningRate, 0.9, 0.999, options.epsilon), steps);
}

/** The float64 end states of Keras' and the textbook formula on the same fixed gradients. */
function predict(options: {learningRate: number; epsilon: number}, steps: number) {
  const common = {lr: () => options.learningRate, beta1: 0.9, beta2: 0.999, epsilon: options.epsilon};
  const keras = copy(initialValues());
  const textbook = copy(initialValues());
  const stepK = adam64({...common, kerasEpsilon: true});
  const stepT = adam64({...common, kerasEpsilon: false});
  for (let s = 0; s < steps; s++) {
    const g = Object.fromEntries(NAMES.map((n) => [n, fixedGrad64(s, n)]));
    stepK(keras, g);
    stepT(textbook, g);
  }
  return {keras, textbook};
}

describe('adam vs a float64 Keras Adam', () => {
  it('matches over 30 steps of the model (constant lr)', () => {
    const step64 = adam64({lr: () => 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, kerasEpsilon: true});
    const {error, moved} = against64(adam({learningRate: 0.01}), step64, 30);
    expect(moved).toBeGreaterThan(0.5);
    expect(error).toBeLessThan(1e-5);
  });

  it('matches with a scheduled lr, other betas and a large epsilon', () => {
    const decay = (step: number) => 0.05 / (1 + 0.1 * step);
    const opt = adam({learningRate: withSpec({id: 'test/inverse', config: {}}, decay), beta1: 0.8, beta2: 0.99, epsilon: 0.01});
    const step64 = adam64({lr: decay, beta1: 0.8, beta2: 0.99, epsilon: 0.01, kerasEpsilon: true});
    expect(against64(opt, step64, 40).error).toBeLessThan(1e-5);
  });
});

describe('adam vs tf.train.adam: where epsilon goes', () => {
  it('first step: Keras adds epsilon / sqrt(1 - beta2) to |g|, tfjs adds epsilon', () => {
    // At t = 1, m̂ = g and sqrt(v̂) = |g|, so the updates are closed-form.
    const g = [1, 1e-3, 1e-5, -2e-6];
    const lr = 0.1;
    const eps = 1e-7;
    const grads = {w: tf.tensor1d(g)};
    const ours = {w: tf.variable(tf.zeros([4]))};
    const theirs = tf.variable(tf.zeros([4]));
    const opt = new StatefulOptimizer(adam({learningRate: lr}));
    opt.applyGradients(grads, ours);
    const tfAdam: tf.Optimizer = tf.train.adam(lr, 0.9, 0.999, eps);
    tfAdam.applyGradients({[theirs.name]: grads.w});
    tfAdam.dispose();
    // Float32 constants as both libraries hold them: the betas in the powers,
    // and (1 - beta) computed in float64 then cast.
    const b1 = Math.fround(0.9);
    const b2 = Math.fround(0.999);
    const m = g.map((x) => Math.fround(1 - 0.9) * x);
    const v = g.map((x) => Math.fround(1 - 0.999) * x * x);
    const keras = m.map((mi, i) => ((-lr * Math.sqrt(1 - b2)) / (1 - b1)) * (mi / (Math.sqrt(v[i]!) + eps)));
    const textbook = m.map((mi, i) => (-lr * (mi / (1 - b1))) / (Math.sqrt(v[i]! / (1 - b2)) + eps));
    const got = Array.from(ours.w.dataSync());
    const ref = Array.from(theirs.dataSync());
    got.forEach((x, i) => expect(Math.abs(x - keras[i]!)).toBeLessThan(1e-6 * Math.abs(keras[i]!)));
    ref.forEach((x, i) => expect(Math.abs(x - textbook[i]!)).toBeLessThan(1e-6 * Math.abs(textbook[i]!)));
    // In textbook terms Keras' epsilon is eps / sqrt(1 - beta2) = 31.6 * 1e-7 at
    // this step, so for g = 1e-5 the step is about a quarter shorter.
    const ratio = (1e-5 + eps) / (1e-5 + eps / Math.sqrt(1 - b2));
    expect(got[2]! / ref[2]!).toBeCloseTo(ratio, 4);
    expect(ratio).toBeLessThan(0.77);
    expect(got[0]! / ref[0]!).toBeCloseTo(1, 5);
    opt.dispose();
    tf.dispose([grads.w, ours.w, theirs]);
  });

  it.each([
    // [epsilon, relative tolerance on the difference]
    [1e-3, 0.01],
    [1e-7, 0.1],
  ])('after 30 steps with epsilon %s the difference is what the math predicts', (epsilon, tolerance) => {
    const options = {learningRate: 0.01, epsilon};
    const {ours, theirs} = runBoth(options, 30);
    const {keras, textbook} = predict(options, 30);
    // Each library follows its own formula...
    expect(maxRelDiff(ours, keras)).toBeLessThan(1e-5);
    expect(maxRelDiff(theirs, textbook)).toBeLessThan(1e-5);
    // ...and the gap between them is the predicted gap, element by element.
    const measured = subtract(ours, theirs);
    const predicted = subtract(keras, textbook);
    expect(maxAbs(predicted)).toBeGreaterThan(epsilon === 1e-3 ? 1e-2 : 3e-6);
    expect(maxAbsDiff(measured, predicted)).toBeLessThan(tolerance * maxAbs(predicted));
  });

  it('scaleByAdam with epsilonAfterCorrection reproduces tf.train.adam (the formulas differ only in epsilon)', () => {
    for (const epsilon of [1e-7, 1e-3]) {
      const ours = makeVariables();
      const theirs = makeVariables();
      const opt = new StatefulOptimizer(chain(scaleByAdam({epsilon, epsilonAfterCorrection: true}), scaleByLearningRate(0.01)));
      const ref: tf.Optimizer = tf.train.adam(0.01, 0.9, 0.999, epsilon);
      for (let s = 0; s < 30; s++) {
        const g = fixedGrads(s, NAMES);
        opt.applyGradients(g, ours);
        ref.applyGradients(Object.fromEntries(NAMES.map((n) => [theirs[n]!.name, g[n]!])));
        tf.dispose(Object.values(g));
      }
      expect(maxRelDiff(read(ours), read(theirs))).toBeLessThan(1e-6);
      opt.dispose();
      ref.dispose();
      tf.dispose([...Object.values(ours), ...Object.values(theirs)]);
    }
  });
});

describe('adam config', () => {
  it('has Keras defaults and a JSON spec', () => {
    expect(adam().spec).toEqual({
      id: 'trellis/adam',
      config: {learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false},
    });
    expect(adam({learningRate: 0.01, beta2: 0.98, amsgrad: true}).spec.config).toEqual({
      learningRate: 0.01,
      beta1: 0.9,
      beta2: 0.98,
      epsilon: 1e-7,
      amsgrad: true,
    });
  });

  it.each([
    [{learningRate: 0}, /learningRate must be a finite number > 0/],
    [{learningRate: Infinity}, /learningRate/],
    [{beta1: 1}, /beta1 must be a finite number in \[0, 1\); got 1 \(number\)/],
    [{beta1: -0.5}, /beta1/],
    [{beta2: 1.5}, /beta2/],
    [{epsilon: -1e-8}, /epsilon must be a finite number > 0; got -1e-8 \(number\)/],
    [{epsilon: 0}, /adam: epsilon must be a finite number > 0; got 0 \(number\)/],
    [{amsgrad: 'yes'}, /adam: amsgrad must be true or false/],
    [{decay: 0.1}, /does not know the option 'decay'/],
    [{learningRate: {id: 'trellis/cosineDecay', config: {}}}, /Schedules come with @trellis\/schedules/],
  ])('rejects %j with a ConfigError', (options, message) => expectConfigError(adam, options, message));

  it('accepts the edges of the ranges', () => {
    expect(() => adam({beta1: 0, beta2: 0, epsilon: Number.MIN_VALUE})).not.toThrow();
  });
});

describe('adam({amsgrad: true}) vs a float64 Keras Adam with amsgrad', () => {
  it('matches over 30 steps of the model and 40 fixed-gradient steps', () => {
    const ref = () => adamAmsgrad64({lr: () => 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7});
    const model = against64(adam({learningRate: 0.01, amsgrad: true}), ref(), 30);
    expect(model.moved).toBeGreaterThan(0.3);
    expect(model.error).toBeLessThan(2e-6);
    const fixed = against64(adam({learningRate: 0.01, amsgrad: true}), ref(), 40, 'fixed');
    expect(fixed.error).toBeLessThan(1e-6);
  });

  it('matches with a schedule and other betas, and differs from plain Adam', () => {
    const decay = (step: number) => 0.05 / (1 + 0.1 * step);
    const schedule = withSpec({id: 'test/inverse', config: {}}, decay);
    const make = (amsgrad: boolean) => adam({learningRate: schedule, beta1: 0.8, beta2: 0.9, epsilon: 1e-3, amsgrad});
    const ref = () => adamAmsgrad64({lr: decay, beta1: 0.8, beta2: 0.9, epsilon: 1e-3});
    expect(against64(make(true), ref(), 40, 'fixed').error).toBeLessThan(1e-6);
    expect(against64(make(false), ref(), 40, 'fixed').error).toBeGreaterThan(1e-3);
  });

  it('keeps nuMax keyed by variable name; a frozen variable keeps its slots; no leaks; round trip', async () => {
    const vars = makeVariables();
    const opt = new StatefulOptimizer(adam({amsgrad: true}));
    const g = fixedGrads(0, NAMES);
    opt.applyGradients(g, vars);
    const [moments] = opt.getState().state as [
      {count: number; mu: Record<string, tf.Tensor>; nu: Record<string, tf.Tensor>; nuMax: Record<string, tf.Tensor>},
    ];
    expect(Object.keys(moments).sort()).toEqual(['count', 'mu', 'nu', 'nuMax']);
    expect(Object.keys(moments.nuMax).sort()).toEqual([...NAMES].sort());
    tf.dispose([...Object.values(g), ...Object.values(moments.mu), ...Object.values(moments.nu), ...Object.values(moments.nuMax)]);
    tf.dispose(Object.values(vars));
    opt.dispose();
    expectFrozenKeepsSlots(() => adam({learningRate: 0.01, amsgrad: true}));
    await expectNoLeaks(() => adam({amsgrad: true}));
    expectRoundTrip(adam({learningRate: 0.02, beta1: 0.85, epsilon: 1e-4, amsgrad: true}));
  });
});
