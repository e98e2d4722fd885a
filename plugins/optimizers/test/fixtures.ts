// Shared test fixtures: a small model with several named variables whose
// gradients are written out by hand twice, once with tfjs ops (float32) and
// once in plain JS (float64), plus float64 reference optimizers.
import * as tf from '@tensorflow/tfjs-core';
import {step64} from './step64';

export type Arrays = Record<string, Float64Array>;

/** Variable names and shapes, Keras-style. */
export const SHAPES: Readonly<Record<string, readonly number[]>> = {
  'dense/kernel': [3, 2],
  'dense/bias': [2],
  'scale/gamma': [4],
};

const N = 8;
const X = Array.from({length: N}, (_, i) => Array.from({length: 3}, (_, j) => Math.sin(1.3 * i + 0.7 * j + 0.2)));
const K_TRUE = [
  [1.5, -0.5],
  [-2, 1],
  [0.5, 0.25],
];
const B_TRUE = [0.3, -0.7];
const Y = X.map((row, i) => [0, 1].map((c) => row.reduce((s, x, j) => s + x * K_TRUE[j]![c]!, B_TRUE[c]!) + 0.05 * Math.cos(i + c)));
const A = [0.5, 1, 2, 4];
const C = [1, -1, 0.5, 2];

/** Deterministic starting values. */
export function initialValues(): Arrays {
  const out: Arrays = {};
  for (const [name, shape] of Object.entries(SHAPES)) {
    const size = shape.reduce((a, b) => a * b, 1);
    out[name] = Float64Array.from({length: size}, (_, k) => 0.3 * Math.cos(2.1 * k + name.length));
  }
  return out;
}

/** New trainable variables (auto-named, so several sets can coexist) keyed by our names. */
export function makeVariables(values: Arrays = initialValues()): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  for (const [name, v] of Object.entries(values)) {
    const initial = tf.tensor(Float32Array.from(v), [...SHAPES[name]!], 'float32');
    out[name] = tf.variable(initial, true);
    initial.dispose();
  }
  return out;
}

/**
 * Gradients of L = mean((x·K + b - y)²) + ½·Σ a·(γ - c)² with tfjs ops
 * (float32). The returned tensors belong to the caller.
 */
export function gradsTf(params: Record<string, tf.Tensor>): Record<string, tf.Tensor> {
  return tf.tidy(() => {
    const x = tf.tensor2d(X);
    const y = tf.tensor2d(Y);
    const r = tf.sub(tf.add(tf.matMul(x, params['dense/kernel'] as tf.Tensor2D), params['dense/bias']!), y);
    return {
      'dense/kernel': tf.div(tf.matMul(x, r, true, false), N),
      'dense/bias': tf.div(tf.sum(r, 0), N),
      'scale/gamma': tf.mul(tf.tensor1d(A), tf.sub(params['scale/gamma']!, tf.tensor1d(C))),
    };
  });
}

/** The same gradients in float64. */
export function grads64(p: Arrays): Arrays {
  const K = p['dense/kernel']!;
  const b = p['dense/bias']!;
  const g = p['scale/gamma']!;
  const dK = new Float64Array(6);
  const db = new Float64Array(2);
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < 2; c++) {
      let pred = b[c]!;
      for (let j = 0; j < 3; j++) pred += X[i]![j]! * K[j * 2 + c]!;
      const r = pred - Y[i]![c]!;
      for (let j = 0; j < 3; j++) dK[j * 2 + c] = dK[j * 2 + c]! + (X[i]![j]! * r) / N;
      db[c] = db[c]! + r / N;
    }
  }
  return {'dense/kernel': dK, 'dense/bias': db, 'scale/gamma': Float64Array.from(g, (v, j) => A[j]! * (v - C[j]!))};
}

/** A fixed, parameter-independent gradient for `step` (float32 tensors owned by the caller). */
export function fixedGrads(step: number, names: readonly string[] = Object.keys(SHAPES)): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const name of names) out[name] = tf.tensor(Float32Array.from(fixedGrad64(step, name)), [...SHAPES[name]!]);
  return out;
}

/** The float64 values of {@link fixedGrads} (rounded to float32, so both sides see the same numbers). */
export function fixedGrad64(step: number, name: string): Float64Array {
  const size = SHAPES[name]!.reduce((a, b) => a * b, 1);
  const seed = name.length * 0.91;
  return Float64Array.from({length: size}, (_, k) =>
    Math.fround(Math.sin(0.37 * step + 1.7 * k + seed) * (0.2 + 0.8 * ((k + step) % 3)) * 0.1 ** (k % 2)),
  );
}

/** The current values of variables, as float64 arrays. */
export function read(vars: Record<string, tf.Tensor>): Arrays {
  const out: Arrays = {};
  for (const [name, v] of Object.entries(vars)) out[name] = Float64Array.from(v.dataSync());
  return out;
}

/** max over names of max|a - b| / max|b| (a norm-wise relative error). */
export function maxRelDiff(a: Arrays, b: Arrays): number {
  return worstOver(a, b, (x, y) => maxAbs(y, x) / maxAbs(y));
}

/** max over all elements of |a - b|. */
export function maxAbsDiff(a: Arrays, b: Arrays): number {
  return worstOver(a, b, (x, y) => maxAbs(y, x));
}

/** max over the names of `b` of `measure(a[name], b[name])`. */
function worstOver(a: Arrays, b: Arrays, measure: (x: Float64Array, y: Float64Array) => number): number {
  let worst = 0;
  for (const name of Object.keys(b)) worst = Math.max(worst, measure(a[name]!, b[name]!));
  return worst;
}

/** max over the elements of `y` of |x[k] - y[k]| (of |y[k]| without `x`); 0 for none. */
function maxAbs(y: Float64Array, x?: Float64Array): number {
  let worst = 0;
  for (let k = 0; k < y.length; k++) worst = Math.max(worst, Math.abs((x ? x[k]! : 0) - y[k]!));
  return worst;
}

/** Elementwise a - b. */
export function subtract(a: Arrays, b: Arrays): Arrays {
  const out: Arrays = {};
  for (const name of Object.keys(b)) out[name] = Float64Array.from(b[name]!, (v, k) => a[name]![k]! - v);
  return out;
}

/**
 * Float64 Adam. `kerasEpsilon` true: Keras 3's formula
 * `w -= lr·sqrt(1-b2^t)/(1-b1^t) · m / (sqrt(v) + eps)`; false: the textbook
 * (tfjs-core) formula `w -= lr · m̂ / (sqrt(v̂) + eps)`.
 */
export function adam64(options: {lr: (step: number) => number; beta1: number; beta2: number; epsilon: number; kerasEpsilon: boolean}) {
  const {beta1, beta2, epsilon} = options;
  // Both libraries hold the betas in float32 for the bias corrections: Keras
  // casts beta to float32 and takes a float32 power (rounded to float32);
  // tfjs multiplies a float32 accumulator by beta every step. 1 - beta2^t is
  // ~1e-3 early on, so this rounding shows at the 1e-5 level; mirror each.
  let acc1 = 1;
  let acc2 = 1;
  return step64(options.lr, 2, (lr, t) => {
    acc1 = Math.fround(acc1 * Math.fround(beta1));
    acc2 = Math.fround(acc2 * Math.fround(beta2));
    const c1 = options.kerasEpsilon ? 1 - Math.fround(Math.fround(beta1) ** t) : 1 - acc1;
    const c2 = options.kerasEpsilon ? 1 - Math.fround(Math.fround(beta2) ** t) : 1 - acc2;
    return (p, g, [mm, vv]) => {
      for (let k = 0; k < g.length; k++) {
        mm![k] = beta1 * mm![k]! + (1 - beta1) * g[k]!;
        vv![k] = beta2 * vv![k]! + (1 - beta2) * g[k]! ** 2;
        p[k] =
          p[k]! -
          (options.kerasEpsilon
            ? ((lr * Math.sqrt(c2)) / c1) * (mm![k]! / (Math.sqrt(vv![k]!) + epsilon))
            : lr * (mm![k]! / c1 / (Math.sqrt(vv![k]! / c2) + epsilon)));
      }
    };
  });
}

/** Float64 Keras SGD: v = μ·v - lr·g; w += v (nesterov: w += μ·v - lr·g). */
export function sgd64(options: {lr: (step: number) => number; momentum: number; nesterov: boolean}) {
  return step64(options.lr, 1, (lr) => (p, g, [v]) => {
    for (let k = 0; k < g.length; k++) {
      if (options.momentum === 0) {
        p[k] = p[k]! - lr * g[k]!;
        continue;
      }
      v![k] = options.momentum * v![k]! - lr * g[k]!;
      p[k] = p[k]! + (options.nesterov ? options.momentum * v![k]! - lr * g[k]! : v![k]!);
    }
  });
}

/** Copies float64 arrays. */
export function copy(a: Arrays): Arrays {
  const out: Arrays = {};
  for (const [k, v] of Object.entries(a)) out[k] = Float64Array.from(v);
  return out;
}

/** Gradient rows of one `[3]` variable for the element-wise transform tests: large, tiny and sign-changing entries. */
export const GRADIENT_ROWS: number[][] = [
  [1, -0.01, 3],
  [0.5, 0.02, -1],
  [-2, 0.001, 0.5],
  [0.25, -0.03, 2],
  [1.5, 0.01, -0.5],
];
