/**
 * What the kernel tests of this package share: one computation run on
 * another backend and read back, the transpose flags of the matmuls, and
 * the check that repeated runs leak neither tensors nor wasm data ids.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {expectNoTensorLeaks} from '@trellis/testing';
import {expect} from 'vitest';

/** An output read back: its dtype, shape and values. */
export type Result = {dtype: string; shape: number[]; values: number[]};

/** Runs `f` on `backend` inside a tidy, then switches back to `wasm`; returns the output's dtype, shape and values. */
export async function runOn(backend: 'cpu' | 'wasm', f: () => tf.Tensor): Promise<Result> {
  await tf.setBackend(backend);
  const result = tf.tidy(() => {
    const y = f();
    return {dtype: y.dtype, shape: y.shape, values: Array.from(y.dataSync())};
  });
  await tf.setBackend('wasm');
  return result;
}

/** Every combination of a matmul's `transposeA` and `transposeB`. */
export const TRANSPOSE_FLAGS = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

/**
 * For each pair of {@link TRANSPOSE_FLAGS}, reads the `tf.matMul` of `a`
 * (rank 3, its last two axes swapped under `transposeA`) and `b` (rank 2,
 * transposed under `transposeB`) and, given `fused` options, then their
 * `tf.fused.matMul` with them; each product inside a tidy.
 */
export function matMulEveryWay(a: tf.Tensor, b: tf.Tensor, fused?: {bias: tf.Tensor; activation: tf.fused.Activation}): void {
  for (const [ta, tb] of TRANSPOSE_FLAGS) {
    const left = () => (ta ? tf.transpose(a, [0, 2, 1]) : a);
    const right = () => (tb ? tf.transpose(b) : b);
    tf.tidy(() => tf.matMul(left(), right(), ta, tb).dataSync());
    if (fused) tf.tidy(() => tf.fused.matMul({a: left(), b: right(), transposeA: ta, transposeB: tb, ...fused}).dataSync());
  }
}

/**
 * Runs `body` 4 times under `expectNoTensorLeaks` and expects the wasm backend
 * to hold as many data ids after every run: neither tensors nor wasm data ids leak.
 */
export async function expectNoDataIdLeaks(body: () => void): Promise<void> {
  const backend = tf.engine().findBackend('wasm') as tf.KernelBackend;
  const ids: number[] = [];
  await expectNoTensorLeaks(
    () => {
      body();
      ids.push(backend.numDataIds());
    },
    {times: 4},
  );
  expect(new Set(ids).size).toBe(1);
}

/** Largest |x - y| / (|y| + 1) over the elements (relative for large values, absolute near zero); expects equal lengths. */
export function maxRelativeError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  expect(x.length).toBe(y.length);
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / (Math.abs(y[i]!) + 1));
  return worst;
}
