/**
 * What the kernel tests of this package share: one computation run on
 * another backend and read back, and the transpose flags of the matmuls.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

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
