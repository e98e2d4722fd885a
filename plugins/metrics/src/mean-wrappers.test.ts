import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, createRegistry, withSpec, type Loss} from '@trellis/core';
import {catchError, expectNoNewTensors} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {computeMetric} from './compute-metric';
import {mean, sum} from './mean-wrappers';
import {metricsPlugin} from './plugin';
import {expectUpdateCycleLeakFree} from '../test/update-cycle';

beforeAll(() => tf.setBackend('cpu'));

const absError = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.abs(tf.sub(yTrue, yPred));

describe('mean and sum', () => {
  const yTrue = [
    [1, 2],
    [3, 4],
    [5, 6],
  ];
  const yPred = [
    [1, 0],
    [0, 4],
    [5, 3],
  ];
  // Per-element |error|: [0, 2], [3, 0], [0, 3]; per-sample means 1, 1.5, 1.5; sums 2, 3, 3.
  it('reduces fn per sample (mean over the non-batch axes), then over samples with sampleWeight, as MeanMetricWrapper', () => {
    expect(computeMetric(mean({fn: absError}), yTrue, yPred)).toBeCloseTo(4 / 3, 6);
    expect(computeMetric(mean({fn: absError}), yTrue, yPred, [2, 1, 0])).toBeCloseTo((2 + 1.5) / 3, 6);
  });

  it('sum adds the per-sample sums times the weights, as Keras Sum', () => {
    expect(computeMetric(sum({fn: absError}), yTrue, yPred)).toBeCloseTo(8, 6);
    expect(computeMetric(sum({fn: absError}), yTrue, yPred, [2, 1, 0])).toBeCloseTo(7, 6);
    const perSample = (t: tf.Tensor, p: tf.Tensor) => tf.sum(tf.abs(tf.sub(t, p)), -1);
    expect(computeMetric(sum({fn: perSample, name: 'abs_total'}), yTrue, yPred)).toBeCloseTo(8, 6);
  });

  it('averages values you already have with fn: (_, values) => values', () => {
    const values = [0.5, 1.5, 4];
    expect(computeMetric(mean({fn: (_t, v) => v}), values, values)).toBeCloseTo(2, 6);
  });

  it('needs fn: a ConfigError that says what fn is and how to average plain values', () => {
    const e = catchError(() => mean({} as never));
    expect(ConfigError.is(e)).toBe(true);
    expect(e.message).toMatch(/mean needs fn: \(yTrue, yPred\) => values/);
    expect(e.message).toMatch(/\(_yTrue, values\) => values/);
    expect(ConfigError.is(catchError(() => sum(undefined as never)))).toBe(true);
    expect(catchError(() => mean({fn: absError, nmae: 'x'} as never)).message).toMatch(/did you mean 'name'/);
  });

  it('is serializable when fn carries a spec (resolved as a loss), and says so when it does not', () => {
    const named = withSpec({id: 'test/absError', config: {}}, ((t: tf.Tensor, p: tf.Tensor) => absError(t, p)) as unknown as Loss, {
      name: 'abs',
      targetKind: 'regression' as const,
      fromLogits: false,
    });
    const m = mean({fn: named, name: 'mae_custom'});
    expect(m.spec).toEqual({id: 'trellis/mean', config: {name: 'mae_custom', fn: {id: 'test/absError', config: {}}}});
    const registry = createRegistry(metricsPlugin);
    registry.register('loss', 'test/absError', () => named);
    const rebuilt = registry.resolve('metric', JSON.parse(JSON.stringify(m.spec)));
    expect(rebuilt.name).toBe('mae_custom');
    expect(computeMetric(rebuilt, yTrue, yPred)).toBeCloseTo(4 / 3, 6);
    expect(sum({fn: named}).spec).toEqual({id: 'trellis/sum', config: {name: 'sum', fn: {id: 'test/absError', config: {}}}});

    const anonymous = mean({fn: absError, name: 'mine'});
    expect(anonymous.spec).toEqual({id: 'trellis/mean', config: {name: 'mine'}});
    const e = catchError(() => registry.resolve('metric', anonymous.spec));
    expect(ConfigError.is(e)).toBe(true);
    expect(e.message).toMatch(/cannot be rebuilt/);
  });

  it('refuses an fn without per-sample values (ShapeError) and leaks nothing, even when fn throws', async () => {
    const m = mean({fn: (t) => tf.sum(t)});
    const s = m.init();
    const [t, p] = [tf.ones([3, 2]), tf.ones([3, 2])];
    const throwing = sum({
      fn: (a) => {
        tf.mul(a, 2);
        throw new Error('boom');
      },
    });
    const s2 = throwing.init();
    await expectNoNewTensors(() => {
      expect(ShapeError.is(catchError(() => m.update(s, t, p)))).toBe(true);
      expect(catchError(() => throwing.update(s2, t, p)).message).toBe('boom');
    });
    const ok = sum({fn: absError});
    await expectUpdateCycleLeakFree(ok, t, p);
    tf.dispose([s, s2, t, p]);
  });
});
