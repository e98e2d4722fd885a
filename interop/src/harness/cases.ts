/**
 * Seeded inputs for cases, and the backends every case runs on.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {randomGenerator, randomValues} from '@trellis/testing';
import {backends, useBackend} from 'trellis';
import type {HostTensor} from './tensor-tree';

/** The backends each interop case runs on. */
export const BACKENDS = ['cpu', 'wasm'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Makes `name` the active backend (with Trellis' kernels for wasm). */
export async function activate(name: BackendName): Promise<void> {
  await useBackend(name === 'cpu' ? backends.cpu() : backends.wasm());
}

/** Float32 values uniform in [low, high), the same for every run with this seed. */
export function uniformTensor(shape: readonly number[], seed: number, low = -1, high = 1): HostTensor {
  return {
    dtype: 'float32',
    shape,
    values: randomValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
      low,
      high,
    ),
  };
}

/** Int32 class ids in [0, classes), seeded. */
export function classIds(shape: readonly number[], classes: number, seed: number): HostTensor {
  const next = randomGenerator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return {dtype: 'int32', shape, values: Int32Array.from({length: n}, () => Math.floor(next() * classes))};
}

/** Float32 0/1 values, seeded. */
export function bits(shape: readonly number[], seed: number): HostTensor {
  const next = randomGenerator(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return {dtype: 'float32', shape, values: Float32Array.from({length: n}, () => (next() < 0.5 ? 0 : 1))};
}

/** One-hot float32 rows `[ids.length, classes]` for the class ids. */
export function oneHot(ids: HostTensor, classes: number): HostTensor {
  const values = new Float32Array(ids.values.length * classes);
  ids.values.forEach((id, row) => {
    values[row * classes + id] = 1;
  });
  return {dtype: 'float32', shape: [ids.values.length, classes], values};
}

/** A tensor on the active backend holding a copy of `host`; the caller disposes it. */
export function toTensor(host: HostTensor): tf.Tensor {
  return tf.tensor(host.values, [...host.shape], host.dtype);
}
