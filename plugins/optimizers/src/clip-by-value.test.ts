import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError} from '@trellis/core';
import {expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {clipByValue} from './clip-by-value';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('clipByValue', () => {
  it('clips every element to [-max, max] (Keras clipvalue)', () => {
    const g = {a: tf.tensor1d([-3, -0.5, 0, 0.25, 7]), b: tf.tensor2d([[1e-3, -2]])};
    const t = clipByValue(0.5);
    const {updates, state} = t.update(g, t.init(g));
    expect(Array.from(updates.a!.dataSync())).toEqual([-0.5, -0.5, 0, 0.25, 0.5]);
    expect(Array.from(updates.b!.dataSync())).toEqual([Math.fround(1e-3), -0.5]);
    expect(updates.b!.shape).toEqual([1, 2]);
    expect(updates.a).not.toBe(g.a);
    expect(state).toEqual({});
    tf.dispose([...Object.values(g), ...Object.values(updates)]);
  });

  it('validates max and leaks nothing', async () => {
    for (const bad of [0, -1, Number.POSITIVE_INFINITY, Number.NaN, '1']) {
      expect(() => clipByValue(bad as number)).toThrow(ConfigError);
    }
    expect(() => clipByValue(0)).toThrow(/clipByValue: max must be a finite number > 0; got 0/);
    const g = {a: tf.tensor1d([-3, 3])};
    await expectNoNewTensors(() => clipByValue(1).update(g, {}));
    expect(() => clipByValue(1).update({a: 1} as never, {})).toThrow(ConfigError);
    g.a.dispose();
  });
});
