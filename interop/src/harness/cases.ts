/**
 * Seeded inputs for cases, and the backends every case runs on.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {randomGenerator, randomValues} from '@trellis/testing';
import {backends, useBackend} from 'trellis';
import type {HostTensor} from './tensor-tree';

/** The backends an interop case can run on. */
const ALL_BACKENDS = ['cpu', 'wasm', 'node', 'webgpu'] as const;
export type BackendName = (typeof ALL_BACKENDS)[number];

/**
 * The backends each interop case runs on: cpu and wasm, or those named in
 * `TRELLIS_INTEROP_BACKENDS` (comma-separated; `node` needs the native addon of
 * scripts/install-native.sh, `webgpu` an adapter, as `pnpm test:native` and
 * `pnpm test:webgpu` provide).
 */
export const BACKENDS: readonly BackendName[] = selectedBackends(process.env.TRELLIS_INTEROP_BACKENDS);

function selectedBackends(list: string | undefined): BackendName[] {
  if (list === undefined || list.trim() === '') return ['cpu', 'wasm'];
  const names = list.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(ALL_BACKENDS as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(`TRELLIS_INTEROP_BACKENDS names ${unknown.join(', ')}; expected some of ${ALL_BACKENDS.join(', ')}.`);
  return names as BackendName[];
}

/** Makes `name` the active backend (with Trellis' kernels for wasm, webgpu and node). */
export async function activate(name: BackendName): Promise<void> {
  switch (name) {
    case 'cpu':
      return void (await useBackend(backends.cpu()));
    case 'wasm':
      return void (await useBackend(backends.wasm()));
    case 'node':
      return void (await useBackend((await import('@trellis/backend-node')).nodeBackend({gpu: false})));
    case 'webgpu':
      return void (await useBackend((await import('@trellis/backend-webgpu')).webgpu()));
  }
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

/**
 * Class probabilities: the rows of `host` (`[rows, n]`, positive float32
 * values) divided by their sums. Returns a new host tensor of the same shape
 * and dtype.
 */
export function normalizeRows(host: HostTensor): HostTensor {
  const n = host.shape.at(-1)!;
  const values = Float32Array.from(host.values);
  for (let r = 0; r < values.length / n; r++) {
    const row = values.subarray(r * n, (r + 1) * n);
    const sum = row.reduce((a, b) => a + b, 0);
    row.forEach((v, j) => (row[j] = v / sum));
  }
  return {...host, values};
}

/**
 * `tf.tidy` for an async body: every tensor made while `body` runs and not
 * kept is disposed when it settles, as `tf.tidy` does for a synchronous one.
 * Lets a test compute inside a scope and `await expectClose(…)` there. Tests
 * of a file run one at a time, so no other work's tensors enter the scope.
 */
export async function tidyAsync(body: () => Promise<void>): Promise<void> {
  tf.engine().startScope();
  try {
    await body();
  } finally {
    tf.engine().endScope();
  }
}

/** A tensor on the active backend holding a copy of `host`; the caller disposes it. */
export function toTensor(host: HostTensor): tf.Tensor {
  return tf.tensor(host.values, [...host.shape], host.dtype);
}
