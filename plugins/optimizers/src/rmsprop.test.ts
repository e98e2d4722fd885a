import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {StatefulOptimizer, createRegistry, withSpec, type StateTree} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {expectConfigError, itHasKerasDefaults} from '../test/config-errors';
import {initialValues, makeVariables, maxAbsDiff, maxRelDiff, SHAPES, subtract, type Arrays} from '../test/fixtures';
import {expectFrozenKeepsNamedSlots} from '../test/keras64-harness';
import {rmsprop64} from '../test/rmsprop64';
import {constantLr, fixedTensors, train64, trainOurs, trainTfjs} from '../test/train';
import {optimizersPlugin} from './plugin';
import {rmsprop} from './rmsprop';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const STEPS = 30;

describe('rmsprop vs a float64 Keras RMSprop', () => {
  it.each([
    [{momentum: 0, centered: false}],
    [{momentum: 0.9, centered: false}],
    [{momentum: 0, centered: true}],
    [{momentum: 0.5, centered: true}],
  ])('matches over 30 steps of the model with %j', ({momentum, centered}) => {
    const ours = trainOurs(rmsprop({learningRate: 0.01, momentum, centered}), STEPS);
    const ref = train64(rmsprop64({lr: constantLr(0.01), rho: 0.9, momentum, epsilon: 1e-7, centered}), STEPS);
    expect(maxRelDiff(ours, initialValues())).toBeGreaterThan(0.2);
    expect(maxRelDiff(ours, ref)).toBeLessThan(1e-5);
  });

  it('applies a scheduled rate before the momentum, as Keras does', () => {
    const decay = (step: number) => 0.05 * 0.8 ** step;
    const lr = withSpec({id: 'test/decay', config: {}}, decay);
    const ours = trainOurs(rmsprop({learningRate: lr, rho: 0.8, momentum: 0.9, epsilon: 1e-4}), STEPS);
    const ref = train64(rmsprop64({lr: decay, rho: 0.8, momentum: 0.9, epsilon: 1e-4, centered: false}), STEPS);
    expect(maxRelDiff(ours, ref)).toBeLessThan(1e-5);
    // Scaling the whole velocity by the current rate (momentum before the rate) is another sequence.
    const v: Arrays = {};
    const m: Arrays = {};
    let step = 0;
    const rescaled = train64((params, grads) => {
      for (const [name, g] of Object.entries(grads)) {
        const vv = (v[name] ??= new Float64Array(g.length));
        const mm = (m[name] ??= new Float64Array(g.length));
        for (let k = 0; k < g.length; k++) {
          vv[k] = 0.8 * vv[k]! + 0.2 * g[k]! ** 2;
          mm[k] = 0.9 * mm[k]! + g[k]! / Math.sqrt(vv[k]! + 1e-4);
          params[name]![k] = params[name]![k]! - decay(step) * mm[k]!;
        }
      }
      step += 1;
    }, STEPS);
    expect(maxRelDiff(rescaled, ref)).toBeGreaterThan(1e-2);
  });
});

describe('rmsprop vs tf.train.rmsprop', () => {
  it.each([0, 0.9])('agrees when not centered (momentum %s)', (momentum) => {
    const ours = trainOurs(rmsprop({learningRate: 0.01, momentum}), STEPS);
    const theirs = trainTfjs(tf.train.rmsprop(0.01, 0.9, momentum, 1e-7, false), STEPS);
    expect(maxRelDiff(ours, initialValues())).toBeGreaterThan(0.2);
    expect(maxRelDiff(ours, theirs)).toBeLessThan(1e-5);
  });

  // Gradients that change sign every step, so the centered variance v - a² stays well above epsilon.
  const alternating = (step: number, name: string): Float64Array => {
    const size = SHAPES[name]!.reduce((a, b) => a * b, 1);
    return Float64Array.from({length: size}, (_, k) =>
      Math.fround((-1) ** (step + k) * 0.5 * (0.6 + 0.4 * Math.cos(1.3 * step + 0.7 * k + name.length))),
    );
  };

  it('centered: tfjs subtracts epsilon under the root, Keras adds it; the gap is the predicted one', () => {
    const epsilon = 1e-4;
    const ours = trainOurs(rmsprop({learningRate: 0.01, epsilon, centered: true}), 20, fixedTensors(alternating));
    const theirs = trainTfjs(tf.train.rmsprop(0.01, 0.9, 0, epsilon, true), 20, fixedTensors(alternating));
    const keras = train64(rmsprop64({lr: constantLr(0.01), rho: 0.9, momentum: 0, epsilon, centered: true}), 20, alternating);
    const tfjs = train64(
      rmsprop64({lr: constantLr(0.01), rho: 0.9, momentum: 0, epsilon, centered: true, tfjsCentered: true}),
      20,
      alternating,
    );
    expect(maxRelDiff(ours, keras)).toBeLessThan(1e-5);
    expect(maxRelDiff(theirs, tfjs)).toBeLessThan(1e-5);
    const measured = subtract(ours, theirs);
    const predicted = subtract(keras, tfjs);
    const size = Math.max(...Object.values(predicted).flatMap((v) => Array.from(v, Math.abs)));
    expect(size).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(measured, predicted)).toBeLessThan(0.01 * size);
  });

  it('centered, first step: a tiny gradient gives NaN in tfjs and a finite step here', () => {
    // At t = 1, v - a² = rho·(1 - rho)·g² = 9e-10 for g = 1e-4, below epsilon = 1e-7.
    const grads = {w: tf.tensor1d([1, 1e-4])};
    const ours = {w: tf.tidy(() => tf.variable(tf.zeros([2])))};
    const theirs = tf.tidy(() => tf.variable(tf.zeros([2])));
    const opt = new StatefulOptimizer(rmsprop({learningRate: 0.1, centered: true}));
    opt.applyGradients(grads, ours);
    const ref = tf.train.rmsprop(0.1, 0.9, 0, 1e-7, true);
    ref.applyGradients({[theirs.name]: grads.w});
    const expected = [1, 1e-4].map((g) => (-0.1 * g) / Math.sqrt(0.9 * 0.1 * g * g + 1e-7));
    const got = Array.from(ours.w.dataSync());
    got.forEach((x, k) => expect(Math.abs(x - expected[k]!)).toBeLessThan(1e-5 * Math.abs(expected[k]!)));
    expect(got[1]).toBeCloseTo(-0.0316, 3);
    expect(Number.isNaN(theirs.dataSync()[1])).toBe(true);
    opt.dispose();
    ref.dispose();
    tf.dispose([grads.w, ours.w, theirs]);
  });
});

describe('rmsprop state', () => {
  it('is [{nu, mu?}, {count}, {trace}?] keyed by variable name', () => {
    const vars = makeVariables();
    const names = Object.keys(SHAPES).sort();
    const plain = rmsprop().init(vars) as readonly Record<string, StateTree>[];
    expect(plain).toHaveLength(2);
    expect(Object.keys(plain[0]!)).toEqual(['nu']);
    expect(Object.keys(plain[0]!.nu as object).sort()).toEqual(names);
    expect(plain[1]).toEqual({count: 0});
    const full = rmsprop({momentum: 0.9, centered: true}).init(vars) as readonly Record<string, StateTree>[];
    expect(full).toHaveLength(3);
    expect(Object.keys(full[0]!).sort()).toEqual(['mu', 'nu']);
    expect(Object.keys(full[2]!.trace as object).sort()).toEqual(names);
    tf.dispose([...Object.values(vars), ...tensorsOf(plain), ...tensorsOf(full)]);
  });

  it('a variable without a gradient (frozen) keeps all its slots', () =>
    expectFrozenKeepsNamedSlots(rmsprop({momentum: 0.9, centered: true}), 'scale/gamma', 'dense/bias', [
      [0, 'nu'],
      [0, 'mu'],
      [2, 'trace'],
    ]));
});

describe('rmsprop config', () => {
  const registry = createRegistry(optimizersPlugin);

  itHasKerasDefaults('rmsprop', () => rmsprop(), {learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false});

  it.each([
    ['rmsprop()', () => rmsprop()],
    ['momentum + centered', () => rmsprop({learningRate: 0.02, rho: 0.8, momentum: 0.5, epsilon: 1e-5, centered: true})],
  ])('%s round-trips through the registry and trains identically', (_, make) => {
    const opt = make();
    const rebuilt = registry.resolve('optimizer', JSON.parse(JSON.stringify(opt.spec)));
    expect(rebuilt.spec).toEqual(opt.spec);
    expect(trainOurs(rebuilt, 5)).toEqual(trainOurs(make(), 5));
  });

  it.each([
    [{learningRate: 0}, /rmsprop: learningRate must be a finite number > 0/],
    [{rho: 1}, /rmsprop: rho must be a finite number in \[0, 1\); got 1 \(number\)/],
    [{rho: -0.1}, /rho/],
    [{momentum: 1}, /rmsprop: momentum must be a finite number in \[0, 1\); got 1 \(number\)/],
    [{epsilon: 0}, /rmsprop: epsilon must be a finite number > 0; got 0 \(number\)/],
    [{centered: 1}, /rmsprop: centered must be true or false/],
    [{decay: 0.9}, /rmsprop does not know the option 'decay'/],
    [{learningRate: () => 0.1}, /function without a spec/],
  ])('rejects %j with a ConfigError', (options, message) => expectConfigError(rmsprop, options, message, 'trellis/rmsprop'));
});

function tensorsOf(tree: unknown): tf.Tensor[] {
  if (tree instanceof tf.Tensor) return [tree];
  if (tree === null || typeof tree !== 'object') return [];
  return Object.values(tree).flatMap(tensorsOf);
}
