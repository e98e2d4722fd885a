import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {StatefulOptimizer, withSpec} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {expectConfigError} from '../test/config-errors';
import {fixedGrads, makeVariables, SHAPES} from '../test/fixtures';
import {against64, checkStateAfterOneStep, expectRoundTrip, itKeepsFrozenSlotsAndLeaksNothing} from '../test/keras64-harness';
import {lion64} from '../test/keras64';
import {lion} from './lion';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const NAMES = Object.keys(SHAPES);

describe('lion vs a float64 Keras Lion', () => {
  it('matches over 30 steps of the model with the defaults', () => {
    const {error, moved} = against64(lion({learningRate: 0.01}), lion64({lr: () => 0.01, beta1: 0.9, beta2: 0.99}), 30);
    expect(moved).toBeGreaterThan(0.3);
    expect(error).toBeLessThan(1e-6);
  });

  it('matches with a scheduled lr and other betas', () => {
    const decay = (step: number) => 0.02 / (1 + 0.1 * step);
    const {error} = against64(
      lion({learningRate: withSpec({id: 'test/inverse', config: {}}, decay), beta1: 0.5, beta2: 0.9}),
      lion64({lr: decay, beta1: 0.5, beta2: 0.9}),
      40,
      'fixed',
    );
    expect(error).toBeLessThan(1e-6);
  });

  it('moves every element by exactly the learning rate on the first step', () => {
    const vars = makeVariables();
    const before = Object.fromEntries(NAMES.map((n) => [n, Array.from(vars[n]!.dataSync())]));
    const opt = new StatefulOptimizer(lion({learningRate: 0.125}));
    const g = fixedGrads(0, NAMES);
    opt.applyGradients(g, vars);
    for (const n of NAMES) {
      const grad = g[n]!.dataSync();
      Array.from(vars[n]!.dataSync()).forEach((x, k) => expect(x).toBe(Math.fround(before[n]![k]! - 0.125 * Math.sign(grad[k]!))));
    }
    tf.dispose([...Object.values(g), ...Object.values(vars)]);
    opt.dispose();
  });
});

describe('lion state and spec', () => {
  it('keeps {mu} keyed by variable name', () => {
    checkStateAfterOneStep(lion(), (state) => {
      const [momentum, lr] = state as [{mu: Record<string, tf.Tensor>}, {count: number}];
      expect(Object.keys(momentum)).toEqual(['mu']);
      expect(Object.keys(momentum.mu).sort()).toEqual([...NAMES].sort());
      expect(lr).toEqual({count: 1});
    });
  });

  itKeepsFrozenSlotsAndLeaksNothing(lion);

  it('has Keras defaults and round-trips through the registry', () => {
    expect(lion().spec).toEqual({id: 'trellis/lion', config: {learningRate: 0.001, beta1: 0.9, beta2: 0.99}});
    expectRoundTrip(lion({learningRate: 3e-4, beta1: 0.95, beta2: 0.98}));
    expectRoundTrip(lion({beta1: 1}));
  });

  it.each([
    [{learningRate: -1e-3}, /lion: learningRate must be a finite number > 0/],
    [{beta1: 0}, /lion: beta1 must be a finite number in \(0, 1\]; got 0/],
    [{beta1: 1.01}, /lion: beta1/],
    [{beta2: 1}, /lion: beta2 must be a finite number in \[0, 1\)/],
    [{epsilon: 1e-7}, /lion does not know the option 'epsilon'/],
  ])('rejects %j with a ConfigError', (options, message) => expectConfigError(lion, options, message));
});
