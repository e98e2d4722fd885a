import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {beforeAll, describe, expect, it} from 'vitest';
import {testDense} from '../../test/fixtures';
import {Sequential, withWeightBudget, type WeightBudget} from '../index';
import {thrownBy} from '../../test/thrown-by';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

class Refused extends Error {}

const budget = (elements: number) => ({
  elements,
  exceeded: (weight: string, shape: readonly number[], total: number) => new Refused(`${weight} [${shape.join(',')}] ${total}`),
});

/** Builds a model of one dense layer of `units` on 3 features under `limit`, then disposes it. */
function buildAndDispose(limit: WeightBudget, units: number): void {
  withWeightBudget(limit, () => {
    const m = new Sequential([testDense(units, {inputShape: [3]})]);
    try {
      void m.weights;
    } finally {
      m.dispose();
    }
  });
}

describe('withWeightBudget', () => {
  it('lets a model within the budget build, counting every weight', () => {
    // dense 3->4: kernel 12 + bias 4 = 16 elements.
    const model = withWeightBudget(budget(16), () => {
      const m = new Sequential([testDense(4, {inputShape: [3]})]);
      void m.weights;
      return m;
    });
    expect(model.weights.map((w) => w.variable.size)).toEqual([12, 4]);
    model.dispose();
  });

  it('refuses the weight that passes the budget before allocating it, and nothing leaks', () => {
    const before = tf.memory().numTensors;
    const thrown = thrownBy(() => buildAndDispose(budget(15), 4));
    expect(thrown).toBeInstanceOf(Refused);
    expect((thrown as Error).message).toMatch(/\/bias \[4\] 16$/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses an absurd shape without a RangeError from the allocator', () => {
    expect(() => buildAndDispose(budget(1e6), 2839011325442788)).toThrow(Refused);
  });

  it('applies only inside its scope, and the innermost scope wins', () => {
    const outside = new Sequential([testDense(4, {inputShape: [3]})]);
    expect(outside.weights).toHaveLength(2);
    outside.dispose();
    const inner = withWeightBudget(budget(1), () =>
      withWeightBudget(budget(100), () => {
        const m = new Sequential([testDense(4, {inputShape: [3]})]);
        void m.weights;
        return m;
      }),
    );
    expect(inner.weights).toHaveLength(2);
    inner.dispose();
  });
});
