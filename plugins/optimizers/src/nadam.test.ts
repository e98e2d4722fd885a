import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {StatefulOptimizer} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {expectConfigError} from '../test/config-errors';
import {fixedGrads, makeVariables, SHAPES} from '../test/fixtures';
import {
  against64,
  expectRoundTrip,
  itKeepsFrozenSlotsAndLeaksNothing,
  itMatchesKeras64WithDefaultsAndSchedule,
} from '../test/keras64-harness';
import {nadam64} from '../test/keras64';
import {adam} from './adam';
import {nadam} from './nadam';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const NAMES = Object.keys(SHAPES);

describe('nadam vs a float64 Keras Nadam', () => {
  itMatchesKeras64WithDefaultsAndSchedule(nadam, nadam64, 0.3);

  it('is not Adam: the momentum schedule changes the steps', () => {
    const {error} = against64(adam({learningRate: 0.01}), nadam64({lr: () => 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7}), 30);
    expect(error).toBeGreaterThan(1e-3);
  });
});

describe('nadam state and spec', () => {
  it('keeps {count, uProduct, mu, nu} keyed by variable name', () => {
    const vars = makeVariables();
    const opt = new StatefulOptimizer(nadam());
    for (let s = 0; s < 2; s++) {
      const g = fixedGrads(s, NAMES);
      opt.applyGradients(g, vars);
      tf.dispose(Object.values(g));
    }
    const {state} = opt.getState();
    const [moments, lr] = state as [
      {count: number; uProduct: number; mu: Record<string, tf.Tensor>; nu: Record<string, tf.Tensor>},
      {count: number},
    ];
    expect(moments.count).toBe(2);
    const u = (t: number) => 0.9 * (1 - 0.5 * 0.96 ** t);
    expect(moments.uProduct).toBeCloseTo(u(1) * u(2), 7);
    expect(Object.keys(moments.mu).sort()).toEqual([...NAMES].sort());
    expect(Object.keys(moments.nu).sort()).toEqual([...NAMES].sort());
    expect(lr).toEqual({count: 2});
    tf.dispose([...Object.values(moments.mu), ...Object.values(moments.nu), ...Object.values(vars)]);
    opt.dispose();
  });

  it('continues bit-identically after getState/setState', () => {
    const run = (restoreAt: number | undefined) => {
      const vars = makeVariables();
      let opt = new StatefulOptimizer(nadam({learningRate: 0.01}));
      for (let s = 0; s < 6; s++) {
        if (s === restoreAt) {
          const saved = opt.getState();
          opt.dispose();
          opt = new StatefulOptimizer(nadam({learningRate: 0.01}));
          opt.init(vars);
          opt.setState(saved);
          tf.dispose(Object.values(saved.state as never).flatMap((x) => (x instanceof tf.Tensor ? [x] : [])));
        }
        const g = fixedGrads(s, NAMES);
        opt.applyGradients(g, vars);
        tf.dispose(Object.values(g));
      }
      const out = Object.fromEntries(NAMES.map((n) => [n, Array.from(vars[n]!.dataSync())]));
      opt.dispose();
      tf.dispose(Object.values(vars));
      return out;
    };
    expect(run(3)).toEqual(run(undefined));
  });

  itKeepsFrozenSlotsAndLeaksNothing(nadam);

  it('has Keras defaults and round-trips through the registry', () => {
    expect(nadam().spec).toEqual({id: 'trellis/nadam', config: {learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7}});
    expectRoundTrip(nadam({learningRate: 0.02, beta1: 0.85, beta2: 0.99, epsilon: 1e-4}));
  });

  it.each([
    [{learningRate: 0}, /nadam: learningRate must be a finite number > 0/],
    [{beta1: -0.1}, /nadam: beta1 must be a finite number in \[0, 1\)/],
    [{beta2: 1}, /nadam: beta2/],
    [{epsilon: 0}, /nadam: epsilon must be a finite number > 0; got 0/],
    [{scheduleDecay: 0.004}, /nadam does not know the option 'scheduleDecay'/],
  ])('rejects %j with a ConfigError', (options, message) => expectConfigError(nadam, options, message));
});
