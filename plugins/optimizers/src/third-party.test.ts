// The README's third-party optimizer (test/lion-example.ts) works as written.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {StatefulOptimizer, createRegistry} from '@trellis/core';
import {expectNoTensorLeaks} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {copy, fixedGrad64, fixedGrads, initialValues, makeVariables, maxRelDiff, read, SHAPES} from '../test/fixtures';
import {lion, lionPlugin} from '../test/lion-example';
import {optimizersPlugin} from './plugin';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('third-party lion', () => {
  it('follows the Lion update in float64', () => {
    const names = Object.keys(SHAPES);
    const vars = makeVariables();
    const opt = new StatefulOptimizer(lion({learningRate: 0.01}));
    const ref = copy(initialValues());
    const mu: Record<string, Float64Array> = {};
    for (let s = 0; s < 20; s++) {
      const g = fixedGrads(s, names);
      opt.applyGradients(g, vars);
      tf.dispose(Object.values(g));
      for (const n of names) {
        const g64 = fixedGrad64(s, n);
        const m = (mu[n] ??= new Float64Array(g64.length));
        g64.forEach((x, k) => {
          ref[n]![k] = ref[n]![k]! - 0.01 * Math.sign(0.9 * m[k]! + 0.1 * x);
          m[k] = 0.99 * m[k]! + 0.01 * x;
        });
      }
    }
    expect(maxRelDiff(read(vars), ref)).toBeLessThan(1e-5);
    expect(Object.keys((opt.getState().state as [{mu: object}])[0].mu).sort()).toEqual([...names].sort());
    opt.dispose();
    tf.dispose(Object.values(vars));
  });

  it('registers next to the built-ins and round-trips its spec', () => {
    const registry = createRegistry(optimizersPlugin, lionPlugin);
    expect(registry.ids('optimizer')).toEqual(expect.arrayContaining(['acme/lion', 'trellis/adam', 'trellis/lion', 'trellis/sgd']));
    const opt = lion({learningRate: 3e-4, beta2: 0.98});
    expect(registry.resolve('optimizer', JSON.parse(JSON.stringify(opt.spec))).spec).toEqual(opt.spec);
    expect(registry.resolve('optimizer', 'acme/lion').spec.config).toEqual({learningRate: 1e-3, beta1: 0.9, beta2: 0.99});
    // The package has its own trellis/lion, so the bare name needs the full id.
    expect(() => registry.resolve('optimizer', 'lion')).toThrow(
      /'lion' is ambiguous: it matches (acme\/lion, trellis\/lion|trellis\/lion, acme\/lion)\./,
    );
  });

  it('leaks nothing', async () => {
    const vars = makeVariables();
    const opt = new StatefulOptimizer(lion());
    await expectNoTensorLeaks(
      () => {
        const g = fixedGrads(0);
        opt.applyGradients(g, vars);
        tf.dispose(Object.values(g));
      },
      {times: 20},
    );
    opt.dispose();
    tf.dispose(Object.values(vars));
  });
});
