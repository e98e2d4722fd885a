// int32 products on wasm (tf.math.confusionMatrix, tf.matMul, tf.fused.matMul)
// against the cpu backend and an exact BigInt reference: every value equal.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {useBackend} from '@trellis/core';
import {expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {beforeAll, describe, expect, it} from 'vitest';
import {wasm} from './index';
import {runOn, TRANSPOSE_FLAGS, type Result, expectNoDataIdLeaks, matMulEveryWay} from '../test/backend-runs';

beforeAll(async () => {
  await useBackend(wasm());
});

/** `n` seeded integers in [low, high]. */
function integers(n: number, seed: number, low: number, high: number): Int32Array {
  const next = randomGenerator(seed);
  return Int32Array.from({length: n}, () => low + Math.floor((high - low + 1) * next()));
}

/** Expects `f` to give the same dtype, shape and values on wasm as on cpu; returns the wasm result. */
async function expectWasmEqualsCpu(f: () => tf.Tensor): Promise<Result> {
  const cpu = await runOn('cpu', f);
  const ours = await runOn('wasm', f);
  expect(ours).toEqual(cpu);
  return ours;
}

/** `a·b` over int32 matrices in BigInt, wrapped to int32 (modulo 2^32). */
function exactMatMul(a: Int32Array, b: Int32Array, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0n;
      for (let p = 0; p < k; p++) {
        sum += BigInt(a[transposeA ? p * m + i : i * k + p]!) * BigInt(b[transposeB ? j * k + p : p * n + j]!);
      }
      out.push(Number(BigInt.asIntN(32, sum)));
    }
  }
  return out;
}

type Case = {name: string; a: number[]; b: number[]};

function shapes(m: number, k: number, n: number, batchA: number[], batchB: number[], ta: boolean, tb: boolean) {
  return {a: [...batchA, ...(ta ? [k, m] : [m, k])], b: [...batchB, ...(tb ? [n, k] : [k, n])]};
}

describe('int32 products on wasm', () => {
  it('tf.math.confusionMatrix equals cpu for 1000 random samples of 10 classes', async () => {
    const labels = integers(1000, 1, 0, 9);
    const predictions = integers(1000, 2, 0, 9);
    const f = () => tf.math.confusionMatrix(tf.tensor1d(labels, 'int32'), tf.tensor1d(predictions, 'int32'), 10);
    const ours = await expectWasmEqualsCpu(f);
    const counts = new Array<number>(100).fill(0);
    for (let i = 0; i < labels.length; i++) counts[labels[i]! * 10 + predictions[i]!]! += 1;
    expect(ours).toEqual({dtype: 'int32', shape: [10, 10], values: counts});
    await expectNoTensorLeaks(() => tf.tidy(() => f().dataSync()));
  });

  for (const [transposeA, transposeB] of TRANSPOSE_FLAGS) {
    const tag = `transposeA=${transposeA} transposeB=${transposeB}`;
    const cases: Case[] = [
      {name: `2-D ${tag}`, ...shapes(13, 57, 9, [], [], transposeA, transposeB)},
      {name: `3-D batch 3 ${tag}`, ...shapes(5, 11, 7, [3], [3], transposeA, transposeB)},
      {name: `4-D [2,3] batch ${tag}`, ...shapes(4, 6, 3, [2, 3], [2, 3], transposeA, transposeB)},
      {name: `broadcast [3]×[] ${tag}`, ...shapes(6, 8, 5, [3], [], transposeA, transposeB)},
      {name: `broadcast []×[3] ${tag}`, ...shapes(6, 8, 5, [], [3], transposeA, transposeB)},
      {name: `broadcast [2,3]×[1,3] ${tag}`, ...shapes(3, 4, 2, [2, 3], [1, 3], transposeA, transposeB)},
      {name: `empty rows ${tag}`, ...shapes(0, 4, 3, [], [], transposeA, transposeB)},
      {name: `empty shared dimension ${tag}`, ...shapes(3, 0, 2, [2], [2], transposeA, transposeB)},
    ];
    it.each(cases)('tf.matMul $name equals cpu', async (c) => {
      const av = integers(tf.util.sizeFromShape(c.a), c.a.length + 3, -1000, 1000);
      const bv = integers(tf.util.sizeFromShape(c.b), c.b.length + 5, -1000, 1000);
      const ours = await expectWasmEqualsCpu(() =>
        tf.matMul(tf.tensor(av, c.a, 'int32'), tf.tensor(bv, c.b, 'int32'), transposeA, transposeB),
      );
      expect(ours.dtype).toBe('int32');
    });

    it(`tf.matMul ${tag} wraps on overflow modulo 2^32 like cpu`, async () => {
      const [m, k, n] = [4, 30, 3];
      const c = shapes(m, k, n, [], [], transposeA, transposeB);
      const av = integers(m * k, 7, -(2 ** 20), 2 ** 20);
      const bv = integers(k * n, 8, -(2 ** 20), 2 ** 20);
      const ours = await expectWasmEqualsCpu(() =>
        tf.matMul(tf.tensor(av, c.a, 'int32'), tf.tensor(bv, c.b, 'int32'), transposeA, transposeB),
      );
      expect(ours.values).toEqual(exactMatMul(av, bv, m, k, n, transposeA, transposeB));
      expect(Math.max(...ours.values.map(Math.abs))).toBeGreaterThan(2 ** 20);
    });
  }

  it('tf.matMul rejects mismatched inner dimensions and leaks nothing', async () => {
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
    const b = tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32');
    const before = tf.memory().numTensors;
    expect(() => tf.matMul(a, b)).toThrow(/inner shapes \(3\) and \(2\)/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });

  const fusedCases = [
    {activation: 'linear', bias: false},
    {activation: 'linear', bias: true},
    {activation: 'relu', bias: false},
    {activation: 'relu', bias: true},
    {activation: 'relu6', bias: true},
  ] as const;
  for (const [transposeA, transposeB] of TRANSPOSE_FLAGS) {
    it.each(fusedCases)(
      `tf.fused.matMul $activation, bias $bias, transposeA=${transposeA} transposeB=${transposeB} equals cpu`,
      async ({activation, bias}) => {
        const [m, k, n] = [5, 9, 4];
        const c = shapes(m, k, n, [2], [], transposeA, transposeB);
        const av = integers(2 * m * k, 11, -3, 3);
        const bv = integers(k * n, 12, -3, 3);
        const biasValues = integers(n, 13, -5, 5);
        const ours = await expectWasmEqualsCpu(() =>
          tf.fused.matMul({
            a: tf.tensor(av, c.a, 'int32'),
            b: tf.tensor(bv, c.b, 'int32'),
            transposeA,
            transposeB,
            ...(bias ? {bias: tf.tensor1d(biasValues, 'int32')} : {}),
            activation,
          }),
        );
        expect(ours.dtype).toBe('int32');
        if (activation !== 'linear') expect(ours.values.some((v) => v === 0)).toBe(true);
      },
    );
  }

  it('tf.fused.matMul leaves int32 activations without an integer result to the stock kernel', () => {
    const a = tf.tensor2d([1, -2, 3, 4], [2, 2], 'int32');
    const before = tf.memory().numTensors;
    expect(() => tf.fused.matMul({a, b: a, activation: 'sigmoid'})).toThrow(/non-float32/);
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });

  it('leaks no tensors and no wasm data ids across repeated int32 products', async () => {
    const a = tf.tensor(integers(3 * 20 * 30, 21, -50, 50), [3, 20, 30], 'int32');
    const b = tf.tensor(integers(30 * 10, 22, -50, 50), [30, 10], 'int32');
    const bias = tf.tensor1d(integers(10, 23, -50, 50), 'int32');
    await expectNoDataIdLeaks(() => matMulEveryWay(a, b, {bias, activation: 'relu'}));
    tf.dispose([a, b, bias]);
  });
});
