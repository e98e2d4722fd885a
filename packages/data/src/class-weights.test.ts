import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {classWeightsFrom} from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('classWeightsFrom', () => {
  it("gives n / (k · count) per class, like scikit-learn's 'balanced'", () => {
    // 6 samples, 3 classes: counts 3, 2, 1.
    expect(classWeightsFrom([0, 0, 0, 1, 1, 2])).toEqual({0: 6 / 9, 1: 6 / 6, 2: 6 / 3});
    // Weighted counts are equal across classes and the mean sample weight is 1.
    const labels = [0, 0, 0, 0, 0, 0, 0, 3, 3, 5];
    const w = classWeightsFrom(labels);
    expect(Object.keys(w)).toEqual(['0', '3', '5']);
    expect(7 * w[0]!).toBeCloseTo(2 * w[3]!, 12);
    expect(labels.reduce((s, id) => s + w[id]!, 0) / labels.length).toBeCloseTo(1, 12);
  });

  it('reads int32 and float32 tensors of shape [n] or [n, 1] without disposing them', () => {
    const y = tf.tensor2d([[1], [1], [0]], [3, 1], 'int32');
    expect(classWeightsFrom(y)).toEqual({0: 1.5, 1: 0.75});
    expect(classWeightsFrom(tf.tensor1d([2, 2, 2, 0], 'float32'))).toEqual({0: 2, 2: 4 / 6});
    expect(y.isDisposed).toBe(false);
    y.dispose();
  });

  it('rejects bad labels with a DataError or ConfigError', () => {
    expect(() => classWeightsFrom([])).toThrow(DataError);
    expect(() => classWeightsFrom([0, 1.5])).toThrow(/label 1 is 1.5/);
    expect(() => classWeightsFrom([0, -1])).toThrow(/label 1 is -1/);
    expect(() => classWeightsFrom([0, NaN])).toThrow(DataError);
    const oneHot = tf.oneHot(tf.tensor1d([0, 1], 'int32'), 2);
    expect(() => classWeightsFrom(oneHot)).toThrow(/tf.argMax\(y, -1\)/);
    oneHot.dispose();
    expect(() => classWeightsFrom(3 as never)).toThrow(ConfigError);
  });
});
