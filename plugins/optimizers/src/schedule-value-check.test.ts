// A learning-rate schedule that returns a negative or non-finite value is
// refused at the step it happens, before any variable changes, leaking nothing.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, StatefulOptimizer, withSpec, type Optimizer, type Schedule} from '@trellis/core';
import {catchError} from '@trellis/testing';
import {afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {gradsTf, makeVariables, read} from '../test/fixtures';
import {adam, adamw, sgd, toTfjsOptimizer} from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

let start = 0;
beforeEach(() => {
  start = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(start);
});

/** A hand-written schedule: 0.01 before step `at`, `bad` from it on. */
function failingAt(at: number, bad: number): Schedule {
  return withSpec({id: 'test/failingAt', config: {at}}, (step: number) => (step < at ? 0.01 : bad));
}

const BAD: readonly [string, number][] = [
  ['-0.01', -0.01],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
];

const refusal = (value: number, step: number) =>
  `the learning-rate schedule returned ${value} at step ${step}; a learning rate must be a finite number >= 0. Check the schedule's options.`;

/**
 * Runs `optimizer` for `good` steps, then one more that must throw: returns
 * the error, and checks that the variables, the step and the tensor count did not change.
 */
function failingStep(optimizer: Optimizer, good: number): Error {
  const vars = makeVariables();
  const stateful = new StatefulOptimizer(optimizer);
  stateful.init(vars);
  for (let i = 0; i < good; i++) {
    const g = gradsTf(vars);
    stateful.applyGradients(g, vars);
    tf.dispose(Object.values(g));
  }
  const g = gradsTf(vars);
  const values = read(vars);
  const tensors = tf.memory().numTensors;
  const error = catchError(() => stateful.applyGradients(g, vars));
  expect(tf.memory().numTensors).toBe(tensors);
  expect(read(vars)).toEqual(values);
  expect(stateful.step).toBe(good);
  tf.dispose(Object.values(g));
  stateful.dispose();
  tf.dispose(Object.values(vars));
  return error;
}

describe('a schedule value that is not a finite number >= 0', () => {
  it.each(BAD)('adam({learningRate}) refuses %s at step 12 with a ConfigError, changing nothing', (_name, bad) => {
    const error = failingStep(adam({learningRate: failingAt(12, bad)}), 12);
    expect(ConfigError.is(error)).toBe(true);
    expect(error.message).toContain(refusal(bad, 12));
  });

  it.each(BAD)('refuses %s at the first step too', (_name, bad) => {
    const error = failingStep(adam({learningRate: failingAt(0, bad)}), 0);
    expect(error.message).toContain(refusal(bad, 0));
  });

  it('is checked by the decoupled weight decay (adamw), which reads the rate first', () => {
    const error = failingStep(adamw({learningRate: failingAt(3, -0.5)}), 3);
    expect(ConfigError.is(error)).toBe(true);
    expect(error.message).toContain(`decoupledWeightDecay: ${refusal(-0.5, 3)}`);
  });

  it('names the step the schedule was called with under gradient accumulation', () => {
    // Updates happen at raw steps 1, 3, 5, ...; the schedule is called with those steps.
    const error = failingStep(sgd({learningRate: failingAt(3, -1), momentum: 0.9, gradientAccumulationSteps: 2}), 3);
    expect(error.message).toContain(refusal(-1, 3));
  });

  it('allows 0 (a schedule may decay to nothing)', () => {
    const vars = makeVariables();
    const values = read(vars);
    const stateful = new StatefulOptimizer(sgd({learningRate: withSpec({id: 'test/zero', config: {}}, () => 0)}));
    const g = gradsTf(vars);
    stateful.applyGradients(g, vars);
    expect(read(vars)).toEqual(values);
    tf.dispose(Object.values(g));
    stateful.dispose();
    tf.dispose(Object.values(vars));
  });

  it.each(BAD)('toTfjsOptimizer refuses %s the same way', (_name, bad) => {
    const optimizer = toTfjsOptimizer(adam({learningRate: failingAt(1, bad)}));
    const vars = Object.values(makeVariables());
    const grads = () => tf.tidy(() => Object.fromEntries(vars.map((v) => [v.name, tf.onesLike(v)])));
    const first = grads();
    optimizer.applyGradients(first);
    tf.dispose(Object.values(first));
    const second = grads();
    const values = vars.map((v) => Array.from(v.dataSync()));
    const tensors = tf.memory().numTensors;
    const error = catchError(() => optimizer.applyGradients(second));
    expect(ConfigError.is(error)).toBe(true);
    expect(error.message).toContain(refusal(bad, 1));
    expect(tf.memory().numTensors).toBe(tensors);
    expect(vars.map((v) => Array.from(v.dataSync()))).toEqual(values);
    expect(optimizer.iterations).toBe(1);
    tf.dispose(Object.values(second));
    optimizer.dispose();
    tf.dispose(vars);
  });
});
