import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {StatefulOptimizer, withSpec, type Schedule} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {expectConfigError} from '../test/config-errors';
import {copy, fixedGrad64, fixedGrads, gradsTf, initialValues, makeVariables, maxRelDiff, read, sgd64, SHAPES} from '../test/fixtures';
import {against64} from '../test/keras64-harness';
import {chain} from './chain';
import {scaleByLearningRate} from './scale-by-learning-rate';
import {sgd} from './sgd';
import {scaleByMomentum} from './scale-by-momentum';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const STEPS = 25;

/** Trains `vars` with our optimizer on the fixture model. */
function trainOurs(opt: StatefulOptimizer, vars: Record<string, tf.Variable>, steps: number): void {
  for (let s = 0; s < steps; s++) {
    const g = gradsTf(vars);
    opt.applyGradients(g, vars);
    tf.dispose(Object.values(g));
  }
}

/** Trains `vars` with a tfjs-core optimizer (which keys variables by their engine names). */
function trainTfjs(opt: tf.Optimizer, vars: Record<string, tf.Variable>, steps: number): void {
  for (let s = 0; s < steps; s++) {
    const g = gradsTf(vars);
    opt.applyGradients(Object.fromEntries(Object.entries(g).map(([name, t]) => [vars[name]!.name, t])));
    tf.dispose(Object.values(g));
  }
}

function compareWithTfjs(ours: ReturnType<typeof sgd>, theirs: tf.Optimizer): number {
  const a = makeVariables();
  const b = makeVariables();
  const opt = new StatefulOptimizer(ours);
  trainOurs(opt, a, STEPS);
  trainTfjs(theirs, b, STEPS);
  const moved = maxRelDiff(read(a), initialValues());
  const diff = maxRelDiff(read(a), read(b));
  opt.dispose();
  theirs.dispose();
  tf.dispose([...Object.values(a), ...Object.values(b)]);
  // The comparison means something only if training moved the parameters.
  expect(moved).toBeGreaterThan(0.05);
  return diff;
}

describe('sgd vs tfjs-core', () => {
  it('plain SGD matches tf.train.sgd', () => {
    expect(compareWithTfjs(sgd({learningRate: 0.1}), tf.train.sgd(0.1))).toBeLessThan(1e-5);
  });

  // With a constant lr the two momentum formulas are the same sequence:
  // tfjs keeps a = μ·a + g and adds -lr·a; Keras keeps v = μ·v - lr·g and adds v.
  // By induction v = -lr·a at every step (v0 = a0 = 0, and
  // μ·(-lr·a) - lr·g = -lr·(μ·a + g)), so the parameter updates agree; Nesterov's
  // -lr·(g + μ·a) equals μ·v - lr·g the same way. Only rounding differs.
  it('momentum SGD matches tf.train.momentum', () => {
    expect(compareWithTfjs(sgd({learningRate: 0.05, momentum: 0.9}), tf.train.momentum(0.05, 0.9, false))).toBeLessThan(1e-5);
  });

  it('Nesterov SGD matches tf.train.momentum(lr, m, true)', () => {
    expect(compareWithTfjs(sgd({learningRate: 0.05, momentum: 0.8, nesterov: true}), tf.train.momentum(0.05, 0.8, true))).toBeLessThan(
      1e-5,
    );
  });

  it('momentum 0 with nesterov is plain SGD, as in Keras', () => {
    expect(compareWithTfjs(sgd({learningRate: 0.1, nesterov: true}), tf.train.sgd(0.1))).toBeLessThan(1e-5);
  });
});

describe('sgd vs a float64 Keras SGD', () => {
  const decay = (step: number) => 0.1 * 0.8 ** step;
  const schedule: Schedule = withSpec({id: 'test/decay', config: {}}, decay);

  for (const nesterov of [false, true]) {
    it(`follows Keras' formula with a scheduled lr (nesterov: ${nesterov})`, () => {
      // The float64 run uses float64 gradients of its own parameters.
      const {error} = against64(sgd({learningRate: schedule, momentum: 0.9, nesterov}), sgd64({lr: decay, momentum: 0.9, nesterov}), STEPS);
      expect(error).toBeLessThan(1e-5);
    });
  }

  it('differs from trace-then-scale (optax order) when the lr varies', () => {
    // Fixed gradients so the only difference is where the lr enters.
    const names = Object.keys(SHAPES);
    const ours = makeVariables();
    const optaxOrder = makeVariables();
    const a = new StatefulOptimizer(sgd({learningRate: schedule, momentum: 0.9}));
    const b = new StatefulOptimizer(chain(scaleByMomentum({decay: 0.9}), scaleByLearningRate(schedule)));
    for (let s = 0; s < 10; s++) {
      const g = fixedGrads(s, names);
      a.applyGradients(g, ours);
      b.applyGradients(g, optaxOrder);
      tf.dispose(Object.values(g));
    }
    // Float64 prediction of both orders.
    const keras = copy(initialValues());
    const optax = copy(initialValues());
    const vK: Record<string, Float64Array> = {};
    const vO: Record<string, Float64Array> = {};
    for (let s = 0; s < 10; s++) {
      for (const name of names) {
        const g = fixedGrad64(s, name);
        const vk = (vK[name] ??= new Float64Array(g.length));
        const vo = (vO[name] ??= new Float64Array(g.length));
        for (let k = 0; k < g.length; k++) {
          vk[k] = 0.9 * vk[k]! - decay(s) * g[k]!;
          keras[name]![k] = keras[name]![k]! + vk[k]!;
          vo[k] = 0.9 * vo[k]! + g[k]!;
          optax[name]![k] = optax[name]![k]! - decay(s) * vo[k]!;
        }
      }
    }
    expect(maxRelDiff(read(ours), keras)).toBeLessThan(1e-5);
    expect(maxRelDiff(read(optaxOrder), optax)).toBeLessThan(1e-5);
    expect(maxRelDiff(keras, optax)).toBeGreaterThan(1e-2);
    a.dispose();
    b.dispose();
    tf.dispose([...Object.values(ours), ...Object.values(optaxOrder)]);
  });

  it('calls the schedule with 0, 1, 2, ...', () => {
    const calls: number[] = [];
    const lr: Schedule = withSpec({id: 'test/record', config: {}}, (step: number) => {
      calls.push(step);
      return 0.01;
    });
    const vars = makeVariables();
    const opt = new StatefulOptimizer(sgd({learningRate: lr, momentum: 0.5}));
    trainOurs(opt, vars, 5);
    expect(calls).toEqual([0, 1, 2, 3, 4]);
    opt.dispose();
    tf.dispose(Object.values(vars));
  });
});

describe('sgd config', () => {
  it('has Keras defaults and a JSON spec', () => {
    expect(sgd().spec).toEqual({id: 'trellis/sgd', config: {learningRate: 0.01, momentum: 0, nesterov: false}});
    const lr = withSpec({id: 'acme/halve', config: {every: 10}}, (s: number) => 0.1 / 2 ** Math.floor(s / 10));
    const spec = sgd({learningRate: lr, momentum: 0.9, nesterov: true}).spec;
    expect(JSON.parse(JSON.stringify(spec))).toEqual({
      id: 'trellis/sgd',
      config: {learningRate: {id: 'acme/halve', config: {every: 10}}, momentum: 0.9, nesterov: true},
    });
  });

  it.each([
    [{learningRate: 0}, /learningRate must be a finite number > 0 or a schedule; got 0 \(number\)/],
    [{learningRate: -0.1}, /learningRate/],
    [{learningRate: Number.NaN}, /learningRate/],
    [{learningRate: '0.1'}, /learningRate.*got '0.1' \(string\)/],
    [{momentum: 1}, /momentum must be a finite number in \[0, 1\); got 1 \(number\)/],
    [{momentum: -0.1}, /momentum/],
    [{nesterov: 'yes'}, /nesterov must be true or false/],
    [{learning_rate: 0.1}, /does not know the option 'learning_rate'/],
    [{learningRate: () => 0.1}, /function without a spec/],
    [{learningRate: {id: 'trellis/exponentialDecay', config: {}}}, /@trellis\/schedules/],
  ])('rejects %j with a ConfigError', (options, message) => expectConfigError(sgd, options, message));

  it('rejects a bare number with a hint', () => {
    expect(() => sgd(0.1 as never)).toThrow(
      /sgd expects an options object such as \{learningRate: \.\.\., weightDecay: \.\.\.\}; got 0.1 \(number\)/,
    );
  });
});
