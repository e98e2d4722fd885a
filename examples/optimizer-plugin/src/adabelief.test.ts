// AdaBelief against a float64 implementation of optax' scale_by_belief, and
// through the conformance suite of @trellis/testing.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {StatefulOptimizer} from '@trellis/core';
import {describeOptimizer} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {adabelief, adaBeliefPlugin} from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describeOptimizer('adabelief', adabelief, {
  options: {learningRate: 0.05},
  plugin: adaBeliefPlugin,
  badConfigs: {negativeLearningRate: {learningRate: -0.01}, betaAboveOne: {beta1: 1.5}, zeroEpsilon: {epsilon: 0}},
  rosenbrock: {options: {learningRate: 0.03}},
});

const SHAPES: Record<string, number[]> = {'dense/kernel': [3, 2], 'dense/bias': [2]};

/** A fixed gradient for `step` (values rounded to float32, so both sides see the same numbers). */
function gradient(step: number, name: string): Float64Array {
  const size = SHAPES[name]!.reduce((a, b) => a * b, 1);
  return Float64Array.from({length: size}, (_, k) =>
    Math.fround(Math.sin(0.37 * step + 1.7 * k + name.length) * (0.2 + 0.8 * ((k + step) % 3)) * 0.1 ** (k % 2)),
  );
}

describe('adabelief', () => {
  it("follows optax' scale_by_belief in float64 (bias correction, epsilonRoot inside, epsilon outside), frozen steps included", () => {
    const [lr, b1, b2, eps, epsRoot] = [0.01, 0.8, 0.99, 1e-8, 1e-12];
    const start = (name: string) =>
      Float64Array.from({length: SHAPES[name]!.reduce((a, b) => a * b, 1)}, (_, k) => Math.fround(0.3 * Math.cos(2.1 * k)));
    const vars = Object.fromEntries(Object.keys(SHAPES).map((n) => [n, tf.variable(tf.tensor(Float32Array.from(start(n)), SHAPES[n]))]));
    const ref = Object.fromEntries(
      Object.keys(SHAPES).map((n) => [n, {p: start(n), m: new Float64Array(start(n).length), s: new Float64Array(start(n).length)}]),
    );
    const opt = new StatefulOptimizer(adabelief({learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, epsilonRoot: epsRoot}));
    opt.init(vars);
    for (let step = 0; step < 30; step++) {
      // The bias gets no gradient in steps 10-14 (a frozen layer): its slots wait, the counter does not.
      const names = step >= 10 && step < 15 ? ['dense/kernel'] : Object.keys(SHAPES);
      const grads = Object.fromEntries(names.map((n) => [n, tf.tensor(Float32Array.from(gradient(step, n)), SHAPES[n])]));
      opt.applyGradients(grads, vars);
      tf.dispose(Object.values(grads));
      const t = step + 1;
      for (const n of names) {
        const {p, m, s} = ref[n]!;
        gradient(step, n).forEach((g, k) => {
          m[k] = (1 - b1) * g + b1 * m[k]!;
          s[k] = (1 - b2) * (g - m[k]!) ** 2 + b2 * s[k]! + epsRoot;
          p[k] = p[k]! - (lr * (m[k]! / (1 - b1 ** t))) / (Math.sqrt(s[k]! / (1 - b2 ** t)) + eps);
        });
      }
    }
    for (const n of Object.keys(SHAPES)) {
      const got = vars[n]!.dataSync();
      const want = ref[n]!.p;
      const scale = Math.max(...Array.from(want, Math.abs));
      const worst = Math.max(...Array.from(want, (w, k) => Math.abs(got[k]! - w)));
      expect(worst / scale).toBeLessThan(1e-5);
    }
    const state = opt.getState().state as [{count: number; mu: Record<string, tf.Tensor>; nu: Record<string, tf.Tensor>}, {count: number}];
    expect(state[0].count).toBe(30);
    expect(Object.keys(state[0].mu).sort()).toEqual(['dense/bias', 'dense/kernel']);
    tf.dispose([...Object.values(state[0].mu), ...Object.values(state[0].nu)]);
    opt.dispose();
    tf.dispose(Object.values(vars));
  });

  it("has optax' defaults and a JSON spec", () => {
    expect(adabelief().spec).toEqual({
      id: 'acme/adabelief',
      config: {learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-16, epsilonRoot: 1e-16},
    });
    expect(adabelief().learningRate).toBe(1e-3);
  });
});
