import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, createRegistry} from '@trellis/core';
import {expectNoNewTensors, expectNoTensorLeaks, randomValues} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {maxNorm, minMaxNorm, nonNeg, regularizersPlugin, unitNorm} from './index';

beforeAll(() => tf.setBackend('cpu'));

const ROWS = 4;
const COLS = 3;
/** Columns of norm below and above 1 so every clip branch is exercised. */
const values = Array.from(randomValues(ROWS * COLS, 11, -1.5, 1.5));
const EPS = 1e-7;

/** Float64 `w · f(‖w‖) / (ε + ‖w‖)` on a row-major [rows, cols] matrix, norms over `axis`. */
function rescaleReference(w: readonly number[], axis: 0 | 1, f: (norm: number) => number) {
  const norm = (i: number, j: number) => {
    let s = 0;
    if (axis === 0) for (let r = 0; r < ROWS; r++) s += w[r * COLS + j]! ** 2;
    else for (let c = 0; c < COLS; c++) s += w[i * COLS + c]! ** 2;
    return Math.sqrt(s);
  };
  return w.map((v, k) => {
    const n = norm(Math.floor(k / COLS), k % COLS);
    return (v * f(n)) / (EPS + n);
  });
}

function apply(constraint: (w: tf.Tensor) => tf.Tensor, w: readonly number[], shape = [ROWS, COLS]) {
  const x = tf.tensor(w, shape);
  const y = constraint(x);
  const out = Array.from(y.dataSync());
  expect(y.shape).toEqual(shape);
  tf.dispose([x, y]);
  return out;
}

function expectClose(actual: readonly number[], expected: readonly number[], tolerance = 1e-6) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    expect(Math.abs(a - e)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(e)));
  });
}

const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

describe('constraints', () => {
  it('maxNorm matches float64 Keras on both axes', () => {
    expectClose(
      apply(maxNorm({maxValue: 1}), values),
      rescaleReference(values, 0, (n) => clip(n, 0, 1)),
    );
    expectClose(
      apply(maxNorm({maxValue: 0.8, axis: 1}), values),
      rescaleReference(values, 1, (n) => clip(n, 0, 0.8)),
    );
    expectClose(
      apply(maxNorm({maxValue: 0.8, axis: -1}), values),
      rescaleReference(values, 1, (n) => clip(n, 0, 0.8)),
    );
    expect(maxNorm().spec).toEqual({id: 'trellis/maxNorm', config: {maxValue: 2, axis: 0}});
  });

  it('minMaxNorm matches float64 Keras, with partial rates', () => {
    const f = (n: number) => 0.4 * clip(n, 0.9, 1.2) + 0.6 * n;
    expectClose(apply(minMaxNorm({minValue: 0.9, maxValue: 1.2, rate: 0.4}), values), rescaleReference(values, 0, f));
    expectClose(
      apply(minMaxNorm(), values),
      rescaleReference(values, 0, (n) => clip(n, 0, 1)),
    );
    expect(minMaxNorm().spec).toEqual({id: 'trellis/minMaxNorm', config: {minValue: 0, maxValue: 1, rate: 1, axis: 0}});
  });

  it('unitNorm and nonNeg match float64 Keras', () => {
    expectClose(
      apply(unitNorm(), values),
      rescaleReference(values, 0, () => 1),
    );
    expectClose(
      apply(unitNorm({axis: [0, 1]}), values),
      (() => {
        const n = Math.sqrt(values.reduce((s, v) => s + v * v, 0));
        return values.map((v) => v / (EPS + n));
      })(),
    );
    expect(apply(nonNeg(), values)).toEqual(Array.from(Float32Array.from(values.map((v) => Math.max(v, 0)))));
    expect(nonNeg().spec).toEqual({id: 'trellis/nonNeg', config: {}});
  });

  it('rejects bad configs and axes outside the weight, naming the parameter', async () => {
    expect(() => maxNorm({maxValue: -1})).toThrow(/maxNorm: maxValue must be a finite non-negative number; got -1/);
    expect(() => minMaxNorm({rate: Number.NaN})).toThrow(/minMaxNorm: rate/);
    expect(() => minMaxNorm({minValue: 2, maxValue: 1})).toThrow(ConfigError);
    expect(() => unitNorm({axis: 0.5})).toThrow(/unitNorm: axis must be an integer/);
    expect(() => maxNorm({axis: []})).toThrow(ConfigError);
    const w = tf.ones([2, 3]);
    for (const constraint of [maxNorm({axis: 2}), minMaxNorm({axis: [0, -3]}), unitNorm({axis: 5})]) {
      await expectNoNewTensors(() => {
        expect(() => constraint(w)).toThrow(ConfigError);
      });
    }
    expect(() => unitNorm({axis: 2})(w)).toThrow(/unitNorm: axis 2 is outside a weight of rank 2/);
    w.dispose();
  });

  it('leaks no tensors and keeps the weight', async () => {
    const w = tf.tensor(values, [ROWS, COLS]);
    for (const constraint of [maxNorm(), minMaxNorm(), nonNeg(), unitNorm()]) {
      await expectNoTensorLeaks(() => constraint(w).dispose());
    }
    expect(w.isDisposed).toBe(false);
    w.dispose();
  });
});

describe('regularizersPlugin: constraints', () => {
  it('rebuilds every constraint from its spec', () => {
    const registry = createRegistry(regularizersPlugin);
    for (const original of [
      maxNorm({maxValue: 3, axis: [0, 1]}),
      minMaxNorm({minValue: 0.5, rate: 0.5, axis: 1}),
      nonNeg(),
      unitNorm({axis: -1}),
    ]) {
      const rebuilt = registry.resolve('constraint', original.spec);
      expect(rebuilt.spec).toEqual(original.spec);
      expect(apply(rebuilt, values)).toEqual(apply(original, values));
    }
    expect(registry.ids('constraint')).toEqual(['trellis/maxNorm', 'trellis/minMaxNorm', 'trellis/nonNeg', 'trellis/unitNorm']);
  });
});
