import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DataError, type Metric} from '@trellis/core';
import {catchError, catchErrorAsync, expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {binaryAccuracy} from './binary-accuracy';
import {computeMetric, computeMetricAsync} from './compute-metric';
import {confusionMatrix} from './confusion-matrix';
import {f1Score} from './f-beta-score';

beforeAll(() => tf.setBackend('cpu'));

describe('computeMetric', () => {
  it('returns a number, a number[] or a number[][] after the rank of the result, leaving no tensor', async () => {
    const yTrue = tf.tensor2d([
      [1, 0],
      [0, 1],
      [0, 1],
    ]);
    const yPred = tf.tensor2d([
      [0.8, 0.2],
      [0.6, 0.4],
      [0.1, 0.9],
    ]);
    await expectNoNewTensors(async () => {
      expect(computeMetric(binaryAccuracy(), yTrue, yPred)).toBeCloseTo(4 / 6, 6);
      const perClass = computeMetric(f1Score(), yTrue, yPred) as number[];
      expect(perClass).toHaveLength(2);
      expect(perClass[0]).toBeCloseTo(2 / 3, 5);
      expect(computeMetric(confusionMatrix({numClasses: 2}), [0, 1, 1], yPred)).toEqual([
        [1, 0],
        [1, 1],
      ]);
      expect(await computeMetricAsync(confusionMatrix({numClasses: 2}), [0, 1, 1], [0, 0, 1], [1, 2, 3])).toEqual([
        [1, 0],
        [2, 3],
      ]);
      expect(await computeMetricAsync(binaryAccuracy(), yTrue, yPred)).toBeCloseTo(4 / 6, 6);
    });
    expect(yTrue.isDisposed || yPred.isDisposed).toBe(false);
    tf.dispose([yTrue, yPred]);
  });

  it('disposes everything when update throws, and passes the error on', async () => {
    const yPred = tf.ones([3, 2]);
    await expectNoNewTensors(async () => {
      expect(DataError.is(catchError(() => computeMetric(confusionMatrix({numClasses: 2}), [0, 1, 5], yPred)))).toBe(true);
      expect(DataError.is(await catchErrorAsync(() => computeMetricAsync(confusionMatrix({numClasses: 2}), [0, 7, 1], yPred)))).toBe(true);
    });
    expect(ConfigError.is(catchError(() => computeMetric({} as Metric, [1], [1])))).toBe(true);
    expect(ConfigError.is(catchError(() => computeMetric(binaryAccuracy(), 'x' as never, [1])))).toBe(true);
    yPred.dispose();
  });

  it('disposes a state tensor passed through by a pure update exactly once', () => {
    const keep = tf.scalar(3);
    const passThrough: Metric<{fixed: tf.Scalar}> = {
      spec: {id: 'test/pass', config: {}},
      name: 'pass',
      init: () => ({fixed: keep}),
      update: (s) => s,
      result: (s) => tf.clone(s.fixed),
    };
    const before = tf.memory().numTensors;
    expect(computeMetric(passThrough, [1], [1])).toBe(3);
    expect(keep.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before - 1);
  });
});
