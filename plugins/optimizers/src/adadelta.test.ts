import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {StatefulOptimizer, withSpec, type StateTree} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {expectConfigError, itHasKerasDefaults} from '../test/config-errors';
import {expectFrozenKeepsNamedSlots, expectRoundTrip} from '../test/keras64-harness';
import {fixedGrad64, initialValues, makeVariables, maxRelDiff, SHAPES} from '../test/fixtures';
import {adadelta64} from '../test/adadelta64';
import {constantLr, fixedTensors, train64, trainOurs, trainTfjs} from '../test/train';
import {adadelta} from './adadelta';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const STEPS = 30;

describe('adadelta vs a float64 Keras Adadelta', () => {
  it.each([
    [{learningRate: 1, rho: 0.95, epsilon: 1e-7}],
    [{learningRate: 1, rho: 0.9, epsilon: 1e-4}],
    [{learningRate: 20, rho: 0.95, epsilon: 1e-6}],
  ])('matches over 30 steps of the model with %j', ({learningRate, rho, epsilon}) => {
    const ours = trainOurs(adadelta({learningRate, rho, epsilon}), STEPS);
    const ref = train64(adadelta64({lr: constantLr(learningRate), rho, epsilon}), STEPS);
    expect(maxRelDiff(ours, initialValues())).toBeGreaterThan(learningRate === 20 ? 0.1 : 1e-3);
    expect(maxRelDiff(ours, ref)).toBeLessThan(1e-5);
  });

  it('scales only the variable update by a scheduled rate (the accumulators never see it)', () => {
    const decay = (step: number) => 50 * 0.9 ** step;
    const lr = withSpec({id: 'test/decay', config: {}}, decay);
    const ours = trainOurs(adadelta({learningRate: lr, epsilon: 1e-4}), STEPS);
    const ref = train64(adadelta64({lr: decay, rho: 0.95, epsilon: 1e-4}), STEPS);
    expect(maxRelDiff(ours, initialValues())).toBeGreaterThan(0.1);
    expect(maxRelDiff(ours, ref)).toBeLessThan(1e-5);
  });
});

describe('adadelta vs tf.train.adadelta', () => {
  it('first step: tfjs divides by the previous (zero) accumulator, so it moves by -lr·g', () => {
    const g = [1, 0.01, -3];
    const grads = {w: tf.tensor1d(g)};
    const ours = {w: tf.tidy(() => tf.variable(tf.zeros([3])))};
    const theirs = tf.tidy(() => tf.variable(tf.zeros([3])));
    const opt = new StatefulOptimizer(adadelta({learningRate: 1}));
    opt.applyGradients(grads, ours);
    const ref: tf.Optimizer = tf.train.adadelta(1, 0.95, 1e-7);
    ref.applyGradients({[theirs.name]: grads.w});
    const keras = g.map((x) => (-Math.sqrt(1e-7) * x) / Math.sqrt(0.05 * x * x + 1e-7));
    Array.from(ours.w.dataSync()).forEach((x, k) => expect(Math.abs(x - keras[k]!)).toBeLessThan(1e-5 * Math.abs(keras[k]!)));
    Array.from(theirs.dataSync()).forEach((x, k) => expect(x).toBeCloseTo(-g[k]!, 6));
    opt.dispose();
    ref.dispose();
    tf.dispose([grads.w, ours.w, theirs]);
  });

  it('over 30 steps each follows its own formula, and they differ', () => {
    const source = fixedTensors();
    const ours = trainOurs(adadelta({learningRate: 1, epsilon: 1e-6}), STEPS, source);
    const theirs = trainTfjs(tf.train.adadelta(1, 0.95, 1e-6), STEPS, source);
    const keras = train64(adadelta64({lr: constantLr(1), rho: 0.95, epsilon: 1e-6}), STEPS, fixedGrad64);
    const tfjs = train64(adadelta64({lr: constantLr(1), rho: 0.95, epsilon: 1e-6, tfjs: true}), STEPS, fixedGrad64);
    expect(maxRelDiff(ours, keras)).toBeLessThan(1e-5);
    expect(maxRelDiff(theirs, tfjs)).toBeLessThan(1e-5);
    expect(maxRelDiff(ours, theirs)).toBeGreaterThan(0.1);
  });
});

describe('adadelta state', () => {
  it('is [{nu, deltaNu}, {count}] keyed by variable name', () => {
    const vars = makeVariables();
    const state = adadelta().init(vars) as readonly Record<string, StateTree>[];
    expect(state).toHaveLength(2);
    expect(Object.keys(state[0]!).sort()).toEqual(['deltaNu', 'nu']);
    expect(Object.keys(state[0]!.deltaNu as object).sort()).toEqual(Object.keys(SHAPES).sort());
    expect(state[1]).toEqual({count: 0});
    tf.dispose([...Object.values(vars), ...Object.values(state[0]!.nu as object), ...Object.values(state[0]!.deltaNu as object)]);
  });

  it('a variable without a gradient (frozen) keeps its slots', () =>
    expectFrozenKeepsNamedSlots(adadelta(), 'dense/bias', 'scale/gamma', [
      [0, 'nu'],
      [0, 'deltaNu'],
    ]));
});

describe('adadelta config', () => {
  itHasKerasDefaults('adadelta', () => adadelta(), {learningRate: 0.001, rho: 0.95, epsilon: 1e-7});

  it('round-trips through the registry and trains identically', () =>
    expectRoundTrip(adadelta({learningRate: 1, rho: 0.9, epsilon: 1e-6})));

  it.each([
    [{learningRate: 0}, /adadelta: learningRate must be a finite number > 0/],
    [{rho: 1}, /adadelta: rho must be a finite number in \[0, 1\); got 1 \(number\)/],
    [{rho: -0.5}, /rho/],
    [{epsilon: 0}, /adadelta: epsilon must be a finite number > 0; got 0 \(number\)/],
    [{beta: 0.9}, /adadelta does not know the option 'beta'/],
  ])('rejects %j with a ConfigError', (options, message) => expectConfigError(adadelta, options, message, 'trellis/adadelta'));
});
