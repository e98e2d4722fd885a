import * as tf from '@tensorflow/tfjs-core';
import {useBackend} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {hasTrellisKernels, restoreStockKernels, wasm} from './index';
import {TRANSPOSE_FLAGS, expectNoDataIdLeaks, matMulEveryWay, maxRelativeError} from '../test/backend-runs';

type Case = {name: string; a: number[]; b: number[]; transposeA: boolean; transposeB: boolean};

/** Deterministic values in [-1, 1) so every backend sees the same numbers. */
function values(shape: number[], seed: number): Float32Array {
  const out = new Float32Array(shape.reduce((p, d) => p * d, 1));
  let s = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** `a·b` in float64 with numpy-style batch broadcasting, from the raw inputs. */
function float64MatMul(c: Case, av: Float32Array, bv: Float32Array): {shape: number[]; data: Float64Array} {
  const [ar, ac] = c.a.slice(-2) as [number, number];
  const [br, bc] = c.b.slice(-2) as [number, number];
  const m = c.transposeA ? ac : ar;
  const k = c.transposeA ? ar : ac;
  const n = c.transposeB ? br : bc;
  const batchA = c.a.slice(0, -2).reduce((p, d) => p * d, 1);
  const batchB = c.b.slice(0, -2).reduce((p, d) => p * d, 1);
  const batch = Math.max(batchA, batchB);
  const outer = c.a.length >= c.b.length ? c.a.slice(0, -2) : c.b.slice(0, -2);
  const data = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const ao = (batchA === 1 ? 0 : t) * ar * ac;
    const bo = (batchB === 1 ? 0 : t) * br * bc;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          const x = av[ao + (c.transposeA ? p * ac + i : i * ac + p)]!;
          const y = bv[bo + (c.transposeB ? j * bc + p : p * bc + j)]!;
          sum += x * y;
        }
        data[(t * m + i) * n + j] = sum;
      }
    }
  }
  return {shape: [...outer, m, n], data};
}

function matMulWith(c: Case, av: Float32Array, bv: Float32Array): {shape: number[]; data: Float32Array} {
  return tf.tidy(() => {
    const y = tf.matMul(tf.tensor(av, c.a), tf.tensor(bv, c.b), c.transposeA, c.transposeB);
    return {shape: y.shape, data: y.dataSync() as Float32Array};
  });
}

function shapesFor(m: number, k: number, n: number, batchA: number[], batchB: number[], ta: boolean, tb: boolean) {
  return {a: [...batchA, ...(ta ? [k, m] : [m, k])], b: [...batchB, ...(tb ? [n, k] : [k, n])]};
}

const cases: Case[] = [];
for (const [transposeA, transposeB] of TRANSPOSE_FLAGS) {
  const tag = `tA=${transposeA} tB=${transposeB}`;
  // k > 48 crosses the stock slow loop's block size; odd sizes catch stride mistakes.
  cases.push({name: `2-D ${tag}`, ...shapesFor(37, 101, 23, [], [], transposeA, transposeB), transposeA, transposeB});
  cases.push({name: `3-D batch 1 ${tag}`, ...shapesFor(9, 50, 11, [1], [1], transposeA, transposeB), transposeA, transposeB});
  cases.push({name: `3-D batch 3 ${tag}`, ...shapesFor(7, 60, 5, [3], [3], transposeA, transposeB), transposeA, transposeB});
  cases.push({name: `4-D [2,3] batch ${tag}`, ...shapesFor(4, 13, 6, [2, 3], [2, 3], transposeA, transposeB), transposeA, transposeB});
  cases.push({name: `broadcast [3]×[] ${tag}`, ...shapesFor(8, 70, 6, [3], [], transposeA, transposeB), transposeA, transposeB});
  cases.push({name: `broadcast []×[3] ${tag}`, ...shapesFor(8, 70, 6, [], [3], transposeA, transposeB), transposeA, transposeB});
  cases.push({name: `broadcast [3]×[1] ${tag}`, ...shapesFor(5, 9, 4, [3], [1], transposeA, transposeB), transposeA, transposeB});
  cases.push({name: `vector rows ${tag}`, ...shapesFor(1, 40, 1, [], [], transposeA, transposeB), transposeA, transposeB});
}

beforeAll(async () => {
  await useBackend(wasm());
});

describe('Trellis BatchMatMul on wasm', () => {
  it('is installed by register()', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(hasTrellisKernels()).toBe(true);
  });

  it.each(cases)('$name equals the stock kernel and a float64 product', async (c) => {
    const av = values(c.a, 1 + c.a.length * 7 + c.b.length);
    const bv = values(c.b, 99 + c.b.reduce((p, d) => p + d, 0));
    restoreStockKernels();
    const stock = matMulWith(c, av, bv);
    await wasm().register();
    expect(hasTrellisKernels()).toBe(true);
    const ours = matMulWith(c, av, bv);
    const exact = float64MatMul(c, av, bv);
    expect(ours.shape).toEqual(stock.shape);
    expect(ours.shape).toEqual(exact.shape);
    expect(maxRelativeError(ours.data, stock.data)).toBeLessThanOrEqual(1e-5);
    expect(maxRelativeError(ours.data, exact.data)).toBeLessThanOrEqual(1e-5);
  });

  it('gives the same dense-layer gradients as the stock kernel', async () => {
    const x = values([32, 50], 5);
    const w = values([50, 20], 6);
    const bias = values([20], 7);
    const dy = values([32, 20], 8);
    const grads = () =>
      tf.tidy(() => {
        const f = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) =>
          tf.sum(tf.mul(tf.relu(tf.add(tf.matMul(xs, ws), bs)), tf.tensor(dy, [32, 20])));
        const [dx, dw, db] = tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([
          tf.tensor(x, [32, 50]),
          tf.tensor(w, [50, 20]),
          tf.tensor(bias, [20]),
        ]);
        return [dx!.dataSync(), dw!.dataSync(), db!.dataSync()] as const;
      });
    restoreStockKernels();
    const stock = grads();
    await wasm().register();
    const ours = grads();
    for (let i = 0; i < 3; i++) expect(maxRelativeError(ours[i]!, stock[i]!)).toBeLessThanOrEqual(1e-5);
    // Independent check of dW = x^T · (dy ⊙ relu'(x·W + b)).
    const z = float64MatMul({name: '', a: [32, 50], b: [50, 20], transposeA: false, transposeB: false}, x, w).data;
    const g = new Float32Array(32 * 20);
    for (let i = 0; i < g.length; i++) g[i] = z[i]! + bias[i % 20]! > 0 ? dy[i]! : 0;
    const dw = float64MatMul({name: '', a: [32, 50], b: [32, 20], transposeA: true, transposeB: false}, x, g).data;
    expect(maxRelativeError(ours[1], dw)).toBeLessThanOrEqual(1e-5);
  });

  it('leaks no tensors and no wasm data ids across repeated calls', async () => {
    await wasm().register();
    const a = tf.tensor(values([3, 20, 30], 1), [3, 20, 30]);
    const b = tf.tensor(values([30, 10], 2), [30, 10]);
    await expectNoDataIdLeaks(() => {
      matMulEveryWay(a, b);
      // tfjs-core's BatchMatMul gradient does not reduce broadcast batch dimensions: use a 2-D input.
      tf.tidy(() =>
        tf
          .grad((w: tf.Tensor) => tf.sum(tf.matMul(tf.reshape(a, [60, 30]), w)))(b)
          .dataSync(),
      );
    });
    tf.dispose([a, b]);
  });
});
