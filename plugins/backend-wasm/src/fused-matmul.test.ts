import * as tf from '@tensorflow/tfjs-core';
import {useBackend} from '@trellis/core';
import {beforeAll, describe, expect, it} from 'vitest';
import {expectNoDataIdLeaks, maxRelativeError} from '../test/backend-runs';
import {restoreStockKernels, wasm} from './index';

type Activation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid' | 'leakyrelu' | 'prelu';

function values(size: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 31 - 1) * scale;
  }
  return out;
}

function activate(x: number, activation: Activation, alpha: number, preluWeight: number): number {
  switch (activation) {
    case 'relu':
      return Math.max(x, 0);
    case 'relu6':
      return Math.min(Math.max(x, 0), 6);
    case 'elu':
      return x > 0 ? x : Math.expm1(x);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'leakyrelu':
      return x > 0 ? x : alpha * x;
    case 'prelu':
      return x > 0 ? x : preluWeight * x;
    default:
      return x;
  }
}

type FusedCase = {
  name: string;
  batchA: number;
  batchB: number;
  transposeA: boolean;
  transposeB: boolean;
  bias: 'none' | 'full' | 'scalar';
  activation: Activation;
};

const m = 6;
const k = 53; // > 48: the stock slow loop's block size, where its fused bias/clamp go wrong
const n = 5;
const alpha = 0.1;

/** float64 `activation(a·b + bias)` for the row-major inputs of `c`. */
function reference(c: FusedCase, av: Float32Array, bv: Float32Array, bias: Float32Array, prelu: Float32Array): Float64Array {
  const batch = Math.max(c.batchA, c.batchB);
  const out = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const ao = (c.batchA === 1 ? 0 : t) * m * k;
    const bo = (c.batchB === 1 ? 0 : t) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          sum += av[ao + (c.transposeA ? p * m + i : i * k + p)]! * bv[bo + (c.transposeB ? j * k + p : p * n + j)]!;
        }
        if (c.bias !== 'none') sum += bias[c.bias === 'scalar' ? 0 : j]!;
        out[(t * m + i) * n + j] = activate(sum, c.activation, alpha, prelu[j]!);
      }
    }
  }
  return out;
}

function fusedWith(c: FusedCase, av: Float32Array, bv: Float32Array, bias: Float32Array, prelu: Float32Array) {
  return tf.tidy(() => {
    const aShape = [...(c.batchA > 1 ? [c.batchA] : []), ...(c.transposeA ? [k, m] : [m, k])];
    const bShape = [...(c.batchB > 1 ? [c.batchB] : []), ...(c.transposeB ? [n, k] : [k, n])];
    const y = tf.fused.matMul({
      a: tf.tensor(av, aShape),
      b: tf.tensor(bv, bShape),
      transposeA: c.transposeA,
      transposeB: c.transposeB,
      ...(c.bias === 'none' ? {} : {bias: tf.tensor1d(c.bias === 'scalar' ? bias.subarray(0, 1) : bias)}),
      activation: c.activation,
      ...(c.activation === 'prelu' ? {preluActivationWeights: tf.tensor1d(prelu)} : {}),
      leakyreluAlpha: alpha,
    });
    return {shape: y.shape, data: y.dataSync() as Float32Array};
  });
}

const activations: Activation[] = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'];
const biases = ['none', 'full', 'scalar'] as const;
type Layout = Pick<FusedCase, 'batchA' | 'batchB' | 'transposeA' | 'transposeB'> & {name: string};
const layouts: Layout[] = [];
for (const [batchA, batchB] of [
  [1, 1],
  [3, 1],
  [3, 3],
] as const) {
  for (const [transposeA, transposeB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    layouts.push({name: `batch ${batchA}×${batchB} tA=${transposeA} tB=${transposeB}`, batchA, batchB, transposeA, transposeB});
  }
}

beforeAll(async () => {
  await useBackend(wasm());
});

describe('Trellis _FusedMatMul on wasm', () => {
  it.each(layouts)('$name equals a float64 reference for every bias and activation', (layout) => {
    const av = values(layout.batchA * m * k, 11 + layout.batchA);
    const bv = values(layout.batchB * k * n, 23 + layout.batchB);
    const bias = values(n, 31, 3);
    const prelu = values(n, 41, 0.5);
    const batch = Math.max(layout.batchA, layout.batchB);
    for (const biasKind of biases) {
      for (const activation of activations) {
        const c: FusedCase = {...layout, name: `${layout.name} bias=${biasKind} ${activation}`, bias: biasKind, activation};
        const got = fusedWith(c, av, bv, bias, prelu);
        expect(got.shape, c.name).toEqual([...(batch > 1 ? [batch] : []), m, n]);
        expect(maxRelativeError(got.data, reference(c, av, bv, bias, prelu)), c.name).toBeLessThanOrEqual(1e-5);
      }
    }
  });

  it('is bit-identical to the stock kernel where the stock kernel is right (batch 1, full bias)', async () => {
    for (const activation of activations) {
      const c: FusedCase = {name: '', batchA: 1, batchB: 1, transposeA: false, transposeB: false, bias: 'full', activation};
      const av = values(m * k, 3);
      const bv = values(k * n, 4);
      const bias = values(n, 5, 3);
      const prelu = values(n, 6, 0.5);
      restoreStockKernels();
      const stock = fusedWith(c, av, bv, bias, prelu);
      await wasm().register();
      const ours = fusedWith(c, av, bv, bias, prelu);
      expect(Array.from(ours.data)).toEqual(Array.from(stock.data));
    }
  });

  it('gives the same gradients as the unfused ops for a fused dense layer', () => {
    const x = tf.tensor(values(16 * 40, 7), [16, 40]);
    const w = tf.tensor(values(40 * 12, 8), [40, 12]);
    const b = tf.tensor(values(12, 9), [12]);
    const fusedLoss = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) =>
      tf.sum(tf.square(tf.fused.matMul({a: xs as tf.Tensor2D, b: ws as tf.Tensor2D, bias: bs})));
    const plainLoss = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.square(tf.add(tf.matMul(xs, ws), bs)));
    const fused = tf.tidy(() =>
      tf
        .grads(fusedLoss as (...t: tf.Tensor[]) => tf.Tensor)([x, w, b])
        .map((g) => g.dataSync()),
    );
    const plain = tf.tidy(() =>
      tf
        .grads(plainLoss as (...t: tf.Tensor[]) => tf.Tensor)([x, w, b])
        .map((g) => g.dataSync()),
    );
    tf.dispose([x, w, b]);
    for (let i = 0; i < 3; i++) expect(maxRelativeError(fused[i]!, plain[i]!)).toBeLessThanOrEqual(1e-5);
  });

  it('leaks no tensors and no wasm data ids on the fast and the fallback paths', async () => {
    const a = tf.tensor(values(3 * m * k, 1), [3, k, m]);
    const b = tf.tensor(values(k * n, 2), [n, k]);
    const full = tf.tensor(values(n, 3), [n]);
    const scalar = tf.tensor([0.5]);
    const prelu = tf.tensor(values(n, 4), [n]);
    await expectNoDataIdLeaks(() =>
      tf.tidy(() => {
        // Folded onto the fast path.
        tf.fused.matMul({a, b, transposeA: true, transposeB: true, bias: full, activation: 'relu'}).dataSync();
        // Fallback: product, Add, Prelu.
        tf.fused
          .matMul({a, b, transposeA: true, transposeB: true, bias: scalar, activation: 'prelu', preluActivationWeights: prelu})
          .dataSync();
        tf.fused.matMul({a: tf.reshape(a, [3 * k, m]), b: tf.ones([3 * k, n]), transposeA: true}).dataSync();
      }),
    );
    tf.dispose([a, b, full, scalar, prelu]);
  });
});
