import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {ConfigError, ShapeError, UnknownIdError, withSpec} from '@trellis/core';
import {catchError, expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {activationNames, getActivation, linear, relu, sigmoid, softmax, tanh, type Activation} from './index';
import {closeness, uniform} from './testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ROWS = 16;
const COLS = 7;

type Reference = {
  /** f(x) row by row, in float64. */
  value(x: number[], cols: number): number[];
  /** d/dx of sum(w ⊙ f(x)), in float64. */
  grad(x: number[], w: number[], cols: number): number[];
};

const elementwise = (f: (v: number) => number, df: (v: number) => number): Reference => ({
  value: (x) => x.map(f),
  grad: (x, w) => x.map((v, i) => w[i]! * df(v)),
});

const sig = (v: number) => 1 / (1 + Math.exp(-v));

const references: Record<string, [Activation, Reference, number]> = {
  linear: [linear, elementwise((v) => v, () => 1), 8],
  relu: [relu, elementwise((v) => Math.max(v, 0), (v) => (v > 0 ? 1 : 0)), 8],
  sigmoid: [sigmoid, elementwise(sig, (v) => sig(v) * (1 - sig(v))), 4],
  tanh: [tanh, elementwise(Math.tanh, (v) => 1 - Math.tanh(v) ** 2), 2.5],
  softmax: [
    softmax,
    {
      value(x, cols) {
        const out: number[] = [];
        for (let r = 0; r < x.length / cols; r++) {
          const row = x.slice(r * cols, (r + 1) * cols);
          const m = Math.max(...row);
          const e = row.map((v) => Math.exp(v - m));
          const s = e.reduce((a, b) => a + b, 0);
          out.push(...e.map((v) => v / s));
        }
        return out;
      },
      grad(x, w, cols) {
        const s = this.value(x, cols);
        const out: number[] = [];
        for (let r = 0; r < x.length / cols; r++) {
          let dot = 0;
          for (let c = 0; c < cols; c++) dot += w[r * cols + c]! * s[r * cols + c]!;
          for (let c = 0; c < cols; c++) out.push(s[r * cols + c]! * (w[r * cols + c]! - dot));
        }
        return out;
      },
    },
    8,
  ],
};

describe('activations', () => {
  for (const [name, [fn, ref, range]] of Object.entries(references)) {
    describe(name, () => {
      const random = randomGenerator(name.length * 101);
      const xs = uniform(random, ROWS * COLS, -range, range);
      const ws = uniform(random, ROWS * COLS, -1, 1);

      it('matches a float64 reference in value and gradient', () => {
        const x = tf.tensor2d(xs, [ROWS, COLS]);
        const w = tf.tensor2d(ws, [ROWS, COLS]);
        const y = fn(x);
        const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(w, fn(v))))(x);
        expect(y.shape).toEqual([ROWS, COLS]);
        expect(y.dtype).toBe('float32');
        expect(closeness(y.dataSync(), ref.value(xs, COLS), 1e-5, 1e-7)).toBeLessThanOrEqual(1);
        expect(closeness(g.dataSync(), ref.grad(xs, ws, COLS), 1e-5, 1e-7)).toBeLessThanOrEqual(1);
        tf.dispose([x, w, y, g]);
      });

      it('matches tfjs-layers (value and gradient)', () => {
        const x = tf.tensor2d(xs, [ROWS, COLS]);
        const w = tf.tensor2d(ws, [ROWS, COLS]);
        const oracle = tfl.layers.activation({activation: name as 'relu'});
        const run = (f: (v: tf.Tensor) => tf.Tensor) => {
          const y = f(x);
          const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(w, f(v))))(x);
          return [y.dataSync(), g.dataSync(), tf.dispose([y, g])] as const;
        };
        const [y, g] = run(fn);
        const [yo, go] = run((v) => oracle.apply(v) as tf.Tensor);
        expect(closeness(y, yo, 1e-6, 1e-8)).toBeLessThanOrEqual(1);
        expect(closeness(g, go, 1e-6, 1e-8)).toBeLessThanOrEqual(1);
        tf.dispose([x, w]);
      });

      it('carries its spec and name', () => {
        expect(fn.spec).toEqual({id: `trellis/${name}`, config: {}});
        expect(getActivation(name)).toBe(fn);
        expect(getActivation(`trellis/${name}`)).toBe(fn);
        expect(JSON.parse(JSON.stringify(fn.spec))).toEqual(fn.spec);
      });

      it('leaks no tensors and does not dispose its input', async () => {
        const x = tf.tensor2d(xs, [ROWS, COLS]);
        await expectNoTensorLeaks(() => {
          tf.dispose(fn(x));
          tf.dispose(tf.grad((v: tf.Tensor) => tf.sum(fn(v)))(x));
        });
        expect(x.isDisposed).toBe(false);
        x.dispose();
      });
    });
  }

  it('softmax is stable for large logits and normalizes the last axis of rank-3 input', () => {
    const x = tf.tensor3d([1000, 1001, 1002, -1000, 0, 1000], [1, 2, 3]);
    const y = softmax(x);
    const v = y.dataSync();
    expect(Array.from(v).every(Number.isFinite)).toBe(true);
    expect(v[0]! + v[1]! + v[2]!).toBeCloseTo(1, 6);
    expect(v[5]).toBeCloseTo(1, 6);
    tf.dispose([x, y]);
    const s = tf.scalar(1);
    expect(() => softmax(s)).toThrow(ShapeError);
    s.dispose();
  });

  it('linear returns a separately disposable tensor', () => {
    const x = tf.tensor1d([1, -2]);
    const y = linear(x);
    expect(y).not.toBe(x);
    y.dispose();
    expect(Array.from(x.dataSync())).toEqual([1, -2]);
    x.dispose();
  });
});

describe('getActivation', () => {
  it('maps null and undefined to linear', () => {
    expect(getActivation(null)).toBe(linear);
    expect(getActivation(undefined)).toBe(linear);
  });

  it('lists the known names for an unknown one', () => {
    expect(activationNames).toEqual(['linear', 'relu', 'sigmoid', 'softmax', 'tanh']);
    const error = catchError(() => getActivation('gelu'));
    expect(UnknownIdError.is(error)).toBe(true);
    expect(error.message).toContain("'gelu'");
    expect(error.message).toContain('relu, sigmoid, softmax, tanh');
  });

  it('accepts activations with a spec and rejects bare functions and other values', () => {
    const swish = withSpec({id: 'acme/swish', config: {}}, (x: tf.Tensor) => tf.mul(x, tf.sigmoid(x)));
    expect(getActivation(swish)).toBe(swish);
    expect(() => getActivation(((x: tf.Tensor) => x) as never)).toThrow(ConfigError);
    expect(() => getActivation(42 as never)).toThrow(ConfigError);
    expect(() => getActivation('toString')).toThrow(UnknownIdError);
  });
});
