import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {withSpec, type StateTree} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {expectConfigError, itHasKerasDefaults} from '../test/config-errors';
import {expectFrozenKeepsNamedSlots, expectRoundTrip} from '../test/keras64-harness';
import {initialValues, makeVariables, maxRelDiff, SHAPES} from '../test/fixtures';
import {adagrad64} from '../test/adagrad64';
import {constantLr, fixedTensors, train64, trainOurs, trainTfjs} from '../test/train';
import {adagrad} from './adagrad';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const STEPS = 30;

describe('adagrad vs a float64 Keras Adagrad', () => {
  it.each([
    [{initialAccumulatorValue: 0.1, epsilon: 1e-7}],
    [{initialAccumulatorValue: 0, epsilon: 1e-7}],
    [{initialAccumulatorValue: 2, epsilon: 1e-3}],
  ])('matches over 30 steps of the model with %j', (options) => {
    const ours = trainOurs(adagrad({learningRate: 0.05, ...options}), STEPS);
    const ref = train64(adagrad64({lr: constantLr(0.05), ...options}), STEPS);
    expect(maxRelDiff(ours, initialValues())).toBeGreaterThan(0.1);
    expect(maxRelDiff(ours, ref)).toBeLessThan(1e-5);
  });

  it('calls a schedule with 0, 1, 2, ... and follows it', () => {
    const decay = (step: number) => 0.1 / (1 + 0.2 * step);
    const calls: number[] = [];
    const lr = withSpec({id: 'test/inverse', config: {}}, (step: number) => {
      calls.push(step);
      return decay(step);
    });
    const ours = trainOurs(adagrad({learningRate: lr}), STEPS);
    expect(calls).toEqual(Array.from({length: STEPS}, (_, i) => i));
    const ref = train64(adagrad64({lr: decay, initialAccumulatorValue: 0.1, epsilon: 1e-7}), STEPS);
    expect(maxRelDiff(ours, ref)).toBeLessThan(1e-5);
  });
});

describe('adagrad vs tf.train.adagrad', () => {
  it.each([0.1, 0.5])('agrees with the default epsilon (initialAccumulatorValue %s)', (initialAccumulatorValue) => {
    const ours = trainOurs(adagrad({learningRate: 0.05, initialAccumulatorValue}), STEPS);
    const theirs = trainTfjs(tf.train.adagrad(0.05, initialAccumulatorValue), STEPS);
    expect(maxRelDiff(ours, initialValues())).toBeGreaterThan(0.1);
    expect(maxRelDiff(ours, theirs)).toBeLessThan(1e-5);
  });

  it("tfjs has no epsilon option: it always adds the backend's epsilon (1e-7 in float32)", () => {
    const source = fixedTensors();
    const options = {initialAccumulatorValue: 0.001, epsilon: 1e-2};
    const ours = trainOurs(adagrad({learningRate: 0.05, ...options}), 10, source);
    const theirs = trainTfjs(tf.train.adagrad(0.05, 0.001), 10, source);
    expect(tf.backend().epsilon()).toBe(1e-7);
    const fixed = (s: number, n: string) => Float64Array.from(source(s)[n]!.dataSync());
    expect(maxRelDiff(ours, train64(adagrad64({lr: constantLr(0.05), ...options}), 10, fixed))).toBeLessThan(1e-5);
    expect(
      maxRelDiff(theirs, train64(adagrad64({lr: constantLr(0.05), initialAccumulatorValue: 0.001, epsilon: 1e-7}), 10, fixed)),
    ).toBeLessThan(1e-5);
    expect(maxRelDiff(ours, theirs)).toBeGreaterThan(1e-2);
  });
});

describe('adagrad state', () => {
  it('is [{sumOfSquares}, {count}] keyed by variable name, starting at initialAccumulatorValue', () => {
    const vars = makeVariables();
    const state = adagrad({initialAccumulatorValue: 0.25}).init(vars) as readonly Record<string, StateTree>[];
    expect(state).toHaveLength(2);
    const slots = state[0]!.sumOfSquares as Record<string, tf.Tensor>;
    expect(Object.keys(slots).sort()).toEqual(Object.keys(SHAPES).sort());
    expect(Array.from(slots['dense/bias']!.dataSync())).toEqual([0.25, 0.25]);
    expect(slots['dense/kernel']!.shape).toEqual([3, 2]);
    expect(state[1]).toEqual({count: 0});
    tf.dispose([...Object.values(vars), ...Object.values(slots)]);
  });

  it('a variable without a gradient (frozen) keeps its slot', () =>
    expectFrozenKeepsNamedSlots(adagrad(), 'dense/kernel', 'dense/bias', [[0, 'sumOfSquares']]));
});

describe('adagrad config', () => {
  itHasKerasDefaults('adagrad', () => adagrad(), {learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7});

  it('round-trips through the registry and trains identically', () =>
    expectRoundTrip(adagrad({learningRate: 0.2, initialAccumulatorValue: 0.5, epsilon: 1e-5})));

  it.each([
    [{learningRate: -1}, /adagrad: learningRate must be a finite number > 0/],
    [{initialAccumulatorValue: -0.1}, /adagrad: initialAccumulatorValue must be a finite number >= 0; got -0.1 \(number\)/],
    [{initialAccumulatorValue: '0.1'}, /initialAccumulatorValue.*got '0.1' \(string\)/],
    [{epsilon: 0}, /adagrad: epsilon must be a finite number > 0; got 0 \(number\)/],
    [{initial_accumulator_value: 0.1}, /adagrad does not know the option 'initial_accumulator_value'/],
  ])('rejects %j with a ConfigError', (options, message) => expectConfigError(adagrad, options, message, 'trellis/adagrad'));
});
