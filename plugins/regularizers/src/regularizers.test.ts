import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {ConfigError, ShapeError, createRegistry} from '@trellis/core';
import {expectNoNewTensors, expectNoTensorLeaks, randomValues} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {l1, l1l2, l2, orthogonalRegularizer, regularizersPlugin} from './index';

beforeAll(() => tf.setBackend('cpu'));

const ROWS = 4;
const COLS = 3;
const values = Array.from(randomValues(ROWS * COLS, 7));

/** Float64 Keras OrthogonalRegularizer on a row-major [rows, cols] matrix. */
function orthogonalReference(w: readonly number[], rows: number, cols: number, factor: number, mode: 'rows' | 'columns') {
  const at = (i: number, j: number) => (mode === 'rows' ? w[i * cols + j]! : w[j * cols + i]!);
  const n = mode === 'rows' ? rows : cols;
  const len = mode === 'rows' ? cols : rows;
  const unit: number[][] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < len; k++) s += at(i, k) ** 2;
    const inv = Math.min(1 / Math.sqrt(s), 1e7);
    unit.push(Array.from({length: len}, (_, k) => at(i, k) * inv));
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i !== j) total += Math.abs(unit[i]!.reduce((acc, v, k) => acc + v * unit[j]![k]!, 0));
    }
  }
  return (factor * 0.5 * total) / ((n * (n - 1)) / 2);
}

function valueAndGrad(regularizer: (w: tf.Tensor) => tf.Scalar, w: readonly number[], shape: number[]) {
  const x = tf.tensor(w, shape);
  const {value, grad} = tf.valueAndGrad((t: tf.Tensor) => regularizer(t))(x);
  const result = {value: value.dataSync()[0]!, grad: Array.from(grad.dataSync())};
  tf.dispose([x, value, grad]);
  return result;
}

function expectClose(actual: readonly number[], expected: readonly number[], tolerance: number) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    expect(Math.abs(a - e)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(e)));
  });
}

describe('l1, l2, l1l2', () => {
  it('match the float64 formulas and their gradients', () => {
    const sumAbs = values.reduce((s, v) => s + Math.abs(v), 0);
    const sumSq = values.reduce((s, v) => s + v * v, 0);
    const a = valueAndGrad(l1(0.3), values, [ROWS, COLS]);
    expectClose([a.value], [0.3 * sumAbs], 1e-6);
    expectClose(
      a.grad,
      values.map((v) => 0.3 * Math.sign(v)),
      1e-6,
    );
    const b = valueAndGrad(l2(0.2), values, [ROWS, COLS]);
    expectClose([b.value], [0.2 * sumSq], 1e-6);
    expectClose(
      b.grad,
      values.map((v) => 0.4 * v),
      1e-6,
    );
    const c = valueAndGrad(l1l2({l1: 0.3, l2: 0.2}), values, [ROWS, COLS]);
    expectClose([c.value], [0.3 * sumAbs + 0.2 * sumSq], 1e-6);
    expectClose(
      c.grad,
      values.map((v) => 0.3 * Math.sign(v) + 0.4 * v),
      1e-6,
    );
  });

  it('use the Keras defaults', () => {
    expect(l1().spec).toEqual({id: 'trellis/l1', config: {l1: 0.01}});
    expect(l2().spec).toEqual({id: 'trellis/l2', config: {l2: 0.01}});
    expect(l1l2().spec).toEqual({id: 'trellis/l1l2', config: {l1: 0, l2: 0}});
    const w = tf.tensor(values, [ROWS, COLS]);
    const zero = l1l2()(w);
    expect(zero.dataSync()[0]).toBe(0);
    tf.dispose([w, zero]);
  });

  it('l2(λ/2) is the textbook ½λΣw² with gradient λw', () => {
    const {grad} = valueAndGrad(l2(0.5 / 2), values, [ROWS, COLS]);
    expectClose(
      grad,
      values.map((v) => 0.5 * v),
      1e-6,
    );
  });

  it('reject negative and non-finite rates, naming the parameter', () => {
    expect(() => l1(-1)).toThrow(ConfigError);
    expect(() => l1(-1)).toThrow(/l1: l1 must be a finite non-negative number; got -1/);
    expect(() => l2(Number.NaN)).toThrow(/l2: l2 must/);
    expect(() => l1l2({l1: 0.1, l2: Number.POSITIVE_INFINITY})).toThrow(/l1l2: l2 must/);
    expect(() => l1l2({l1: -0.1})).toThrow(/l1l2: l1 must/);
  });
});

describe('orthogonalRegularizer', () => {
  it.each(['rows', 'columns'] as const)('matches float64 Keras in %s mode, value and gradient', (mode) => {
    const factor = 0.7;
    const {value, grad} = valueAndGrad(orthogonalRegularizer({factor, mode}), values, [ROWS, COLS]);
    expectClose([value], [orthogonalReference(values, ROWS, COLS, factor, mode)], 1e-5);
    // Central differences of the float64 reference.
    const h = 1e-6;
    const numeric = values.map((_, i) => {
      const plus = values.slice();
      const minus = values.slice();
      plus[i] = plus[i]! + h;
      minus[i] = minus[i]! - h;
      return (orthogonalReference(plus, ROWS, COLS, factor, mode) - orthogonalReference(minus, ROWS, COLS, factor, mode)) / (2 * h);
    });
    expectClose(grad, numeric, 1e-4);
  });

  it('rejects bad configs and non-matrix weights', () => {
    expect(orthogonalRegularizer().spec).toEqual({id: 'trellis/orthogonal', config: {factor: 0.01, mode: 'rows'}});
    expect(() => orthogonalRegularizer({factor: -2})).toThrow(/orthogonalRegularizer: factor/);
    expect(() => orthogonalRegularizer({mode: 'diagonal' as never})).toThrow(ConfigError);
    const w = tf.ones([2, 2, 2]);
    expect(() => orthogonalRegularizer()(w)).toThrow(ShapeError);
    w.dispose();
  });
});

describe('regularizer memory', () => {
  it('leaks no tensors and keeps the weight', async () => {
    const w = tf.tensor(values, [ROWS, COLS]);
    for (const regularizer of [l1(0.1), l2(0.1), l1l2({l1: 0.1, l2: 0.1}), orthogonalRegularizer()]) {
      await expectNoTensorLeaks(() => regularizer(w).dispose());
    }
    expect(w.isDisposed).toBe(false);
    w.dispose();
    const cube = tf.ones([2, 2, 2]);
    await expectNoNewTensors(() => {
      expect(() => orthogonalRegularizer()(cube)).toThrow(ShapeError);
    });
    cube.dispose();
  });
});

describe('regularizersPlugin: regularizers', () => {
  it('rebuilds every regularizer from its spec', () => {
    const registry = createRegistry(regularizersPlugin);
    const x = tf.tensor(values, [ROWS, COLS]);
    for (const original of [l1(0.2), l2(0.3), l1l2({l1: 0.1, l2: 0.4}), orthogonalRegularizer({factor: 0.5, mode: 'columns'})]) {
      const rebuilt = registry.resolve('regularizer', original.spec);
      expect(rebuilt.spec).toEqual(original.spec);
      const a = original(x);
      const b = rebuilt(x);
      expect(b.dataSync()[0]).toBe(a.dataSync()[0]);
      tf.dispose([a, b]);
    }
    x.dispose();
    // `trellis/orthogonalRegularizer` is the deprecated former id of `trellis/orthogonal`, an alias.
    expect(registry.ids('regularizer')).toEqual([
      'trellis/l1',
      'trellis/l1l2',
      'trellis/l2',
      'trellis/orthogonal',
      'trellis/orthogonalRegularizer',
    ]);
  });
});
