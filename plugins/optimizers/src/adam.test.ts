import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, StatefulOptimizer, withSpec} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {
  adam64,
  copy,
  fixedGrad64,
  fixedGrads,
  grads64,
  gradsTf,
  initialValues,
  makeVariables,
  maxAbsDiff,
  maxRelDiff,
  read,
  SHAPES,
  subtract,
  type Arrays,
} from '../test/fixtures';
import {adam} from './adam';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const NAMES = Object.keys(SHAPES);

function maxAbs(a: Arrays): number {
  return Math.max(...Object.values(a).flatMap((v) => Array.from(v, Math.abs)));
}

/** Runs ours and tf.train.adam on the same fixed gradients; returns both end states. */
function runBoth(options: {learningRate: number; epsilon: number}, steps: number) {
  const ours = makeVariables();
  const theirs = makeVariables();
  const opt = new StatefulOptimizer(adam(options));
  const ref: tf.Optimizer = tf.train.adam(options.learningRate, 0.9, 0.999, options.epsilon);
  for (let s = 0; s < steps; s++) {
    const g = fixedGrads(s, NAMES);
    opt.applyGradients(g, ours);
    ref.applyGradients(Object.fromEntries(NAMES.map((n) => [theirs[n]!.name, g[n]!])));
    tf.dispose(Object.values(g));
  }
  const result = {ours: read(ours), theirs: read(theirs)};
  opt.dispose();
  ref.dispose();
  tf.dispose([...Object.values(ours), ...Object.values(theirs)]);
  return result;
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
    const vars = makeVariables();
    const opt = new StatefulOptimizer(adam({learningRate: 0.01}));
    const ref = copy(initialValues());
    const step64 = adam64({lr: () => 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, kerasEpsilon: true});
    for (let s = 0; s < 30; s++) {
      const g = gradsTf(vars);
      opt.applyGradients(g, vars);
      tf.dispose(Object.values(g));
      step64(ref, grads64(ref));
    }
    expect(maxRelDiff(read(vars), initialValues())).toBeGreaterThan(0.5);
    expect(maxRelDiff(read(vars), ref)).toBeLessThan(1e-5);
    opt.dispose();
    tf.dispose(Object.values(vars));
  });

  it('matches with a scheduled lr, other betas and a large epsilon', () => {
    const decay = (step: number) => 0.05 / (1 + 0.1 * step);
    const vars = makeVariables();
    const opt = new StatefulOptimizer(
      adam({learningRate: withSpec({id: 'test/inverse', config: {}}, decay), beta1: 0.8, beta2: 0.99, epsilon: 0.01}),
    );
    const ref = copy(initialValues());
    const step64 = adam64({lr: decay, beta1: 0.8, beta2: 0.99, epsilon: 0.01, kerasEpsilon: true});
    for (let s = 0; s < 40; s++) {
      const g = gradsTf(vars);
      opt.applyGradients(g, vars);
      tf.dispose(Object.values(g));
      step64(ref, grads64(ref));
    }
    expect(maxRelDiff(read(vars), ref)).toBeLessThan(1e-5);
    opt.dispose();
    tf.dispose(Object.values(vars));
  });
});

describe('adam vs tf.train.adam: where epsilon goes', () => {
  it('first step: Keras adds epsilon / sqrt(1 - beta2) to |g|, tfjs adds epsilon', () => {
    // At t = 1, m̂ = g and sqrt(v̂) = |g|, so the updates are closed-form.
    const g = [1, 1e-3, 1e-5, -2e-6];
    const lr = 0.1;
    const eps = 1e-7;
    const grads = {'w': tf.tensor1d(g)};
    const ours = {'w': tf.variable(tf.zeros([4]))};
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

  it('agrees with tf.train.adam when epsilon is 0 (the formulas differ only there)', () => {
    const {ours, theirs} = runBoth({learningRate: 0.01, epsilon: 0}, 30);
    expect(maxRelDiff(ours, theirs)).toBeLessThan(1e-5);
  });
});

describe('adam config', () => {
  it('has Keras defaults and a JSON spec', () => {
    expect(adam().spec).toEqual({id: 'trellis/adam', config: {learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7}});
    expect(adam({learningRate: 0.01, beta2: 0.98}).spec.config).toEqual({learningRate: 0.01, beta1: 0.9, beta2: 0.98, epsilon: 1e-7});
  });

  it.each([
    [{learningRate: 0}, /learningRate must be a finite number > 0/],
    [{learningRate: Infinity}, /learningRate/],
    [{beta1: 1}, /beta1 must be a finite number in \[0, 1\); got 1 \(number\)/],
    [{beta1: -0.5}, /beta1/],
    [{beta2: 1.5}, /beta2/],
    [{epsilon: -1e-8}, /epsilon must be a finite number >= 0; got -1e-8 \(number\)/],
    [{amsgrad: true}, /does not know the option 'amsgrad'/],
    [{learningRate: {id: 'trellis/cosineDecay', config: {}}}, /Schedules come with @trellis\/schedules/],
  ])('rejects %j with a ConfigError', (options, message) => {
    expect(() => adam(options as never)).toThrow(ConfigError);
    expect(() => adam(options as never)).toThrow(message);
  });

  it('accepts the edges of the ranges', () => {
    expect(() => adam({beta1: 0, beta2: 0, epsilon: 0})).not.toThrow();
  });
});
