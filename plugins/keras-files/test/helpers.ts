/** Shared fixtures of the tests: a small model's archive, raw zips with any declared sizes. */
import {expect} from 'vitest';
import {crc32} from '../src/crc32';
import {KerasFileError, type Json, type KerasArchiveInput, type KerasFileProblem, type LegacyH5Model} from '../src/index';

/** A Sequential config in the shape Keras 3 writes it (trimmed). */
export const SEQUENTIAL_CONFIG: Json = {
  module: 'keras',
  class_name: 'Sequential',
  config: {
    name: 'sequential',
    trainable: true,
    layers: [
      {
        module: 'keras.layers',
        class_name: 'InputLayer',
        config: {batch_shape: [null, 3], dtype: 'float32', name: 'input_layer'},
        registered_name: null,
      },
      {
        module: 'keras.layers',
        class_name: 'Dense',
        config: {name: 'dense', units: 2, activation: 'relu'},
        registered_name: null,
        build_config: {input_shape: [null, 3]},
      },
      {
        module: 'keras.layers',
        class_name: 'BatchNormalization',
        config: {name: 'batch_normalization', epsilon: 0.001},
        registered_name: null,
      },
      {module: 'keras.layers', class_name: 'Dense', config: {name: 'dense_1', units: 1, activation: 'linear'}, registered_name: null},
    ],
  },
  registered_name: null,
  build_config: {input_shape: [null, 3]},
};

/** Float32 values 0.5, 1.5, ... (exact in float32). */
export function f32(shape: number[], start = 0): {dtype: 'float32'; shape: number[]; values: Float32Array} {
  const n = shape.reduce((a, b) => a * b, 1);
  return {dtype: 'float32', shape, values: Float32Array.from({length: n}, (_, i) => start + i + 0.5)};
}

/** A small archive: two Dense layers and a BatchNormalization, Adam state. */
export function sampleArchive(): KerasArchiveInput {
  return {
    config: SEQUENTIAL_CONFIG,
    metadata: {keras_version: '3.15.1', date_saved: '2026-12-07@12:00:00'},
    weights: {
      layers: {
        '': [],
        'layers/dense': [f32([3, 2]), f32([2], 10)],
        'layers/batch_normalization': [f32([2], 20), f32([2], 30), f32([2], 40), f32([2], 50)],
        'layers/dense_1': [f32([2, 1], 60), f32([1], 70)],
      },
      names: {'': 'sequential', 'layers/dense': 'dense', 'layers/batch_normalization': 'batch_normalization', 'layers/dense_1': 'dense_1'},
    },
    optimizer: {
      vars: {
        optimizer: [
          {dtype: 'int32', shape: [], values: Int32Array.of(1)},
          {dtype: 'float32', shape: [], values: Float32Array.of(0.001)},
          f32([3, 2], 100),
          f32([3, 2], 200),
        ],
      },
      names: {optimizer: 'adam'},
    },
  };
}

/** A small legacy model. */
export function sampleLegacy(): LegacyH5Model {
  return {
    modelConfig: {class_name: 'Sequential', config: {name: 'sequential', layers: []}},
    trainingConfig: {loss: 'mse', metrics: null, optimizer_config: {class_name: 'Adam', config: {learning_rate: 0.001}}},
    kerasVersion: '3.15.1',
    backend: 'jax',
    layers: [
      {
        name: 'dense',
        weights: [
          {name: 'sequential/dense/kernel', array: f32([3, 2])},
          {name: 'sequential/dense/bias', array: f32([2], 10)},
        ],
      },
      {name: 'dropout', weights: []},
      {
        name: 'dense_1',
        weights: [
          {name: 'sequential/dense_1/kernel', array: f32([2, 1], 20)},
          {name: 'sequential/dense_1/bias', array: f32([1], 30)},
        ],
      },
    ],
    topLevelWeights: [],
    optimizerWeights: [
      {name: 'adam/iteration', array: {dtype: 'int64', shape: [], values: BigInt64Array.of(7n)}},
      {name: 'adam/learning_rate', array: {dtype: 'float32', shape: [], values: Float32Array.of(0.001)}},
    ],
  };
}

/** One entry of a hand-built zip: what is stored, and what the directory declares. */
export interface RawEntry {
  name: string;
  data: Uint8Array;
  method?: number;
  declaredSize?: number;
  crc?: number;
}

/** Builds a zip byte by byte, declaring whatever sizes it is told (ZIP64 extra fields when a size needs them). */
export function rawZip(entries: RawEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const enc = new TextEncoder();
  for (const e of entries) {
    const name = enc.encode(e.name);
    const size = e.declaredSize ?? e.data.length;
    const zip64 = size > 0xfffffffe;
    const crc = e.crc ?? crc32(e.data);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(8, e.method ?? 0, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, e.data.length, true);
    local.setUint32(22, zip64 ? 0xffffffff : size, true);
    local.setUint16(26, name.length, true);
    parts.push(new Uint8Array(local.buffer), name, e.data);
    const extra = new DataView(new ArrayBuffer(zip64 ? 12 : 0));
    if (zip64) {
      extra.setUint16(0, 1, true);
      extra.setUint16(2, 8, true);
      extra.setUint32(4, size % 0x1_0000_0000, true);
      extra.setUint32(8, Math.floor(size / 0x1_0000_0000), true);
    }
    const cd = new DataView(new ArrayBuffer(46));
    cd.setUint32(0, 0x02014b50, true);
    cd.setUint16(4, 20, true);
    cd.setUint16(6, 20, true);
    cd.setUint16(10, e.method ?? 0, true);
    cd.setUint32(16, crc, true);
    cd.setUint32(20, e.data.length, true);
    cd.setUint32(24, zip64 ? 0xffffffff : size, true);
    cd.setUint16(28, name.length, true);
    cd.setUint16(30, extra.byteLength, true);
    cd.setUint32(42, offset, true);
    central.push(new Uint8Array(cd.buffer), name, new Uint8Array(extra.buffer));
    offset += 30 + name.length + e.data.length;
  }
  const cdSize = central.reduce((a, b) => a + b.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, cdSize, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((a, b) => a + b.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Awaits `promise` and checks it fails with a KerasFileError of this problem whose part matches. */
export async function expectFileError(
  promise: Promise<unknown>,
  problem: KerasFileProblem,
  part?: string | RegExp,
): Promise<KerasFileError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a KerasFileError').toBeInstanceOf(KerasFileError);
  const error = caught as KerasFileError;
  expect(KerasFileError.is(error)).toBe(true);
  expect(error.code).toBe('format');
  expect(error.problem, error.message).toBe(problem);
  if (part !== undefined) {
    if (typeof part === 'string') expect(error.part, error.message).toBe(part);
    else expect(error.part, error.message).toMatch(part);
  }
  return error;
}

/** Finds `needle` in `haystack`; -1 when absent. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** The 8 little-endian bytes of `n`. */
export function u64le(n: number): Uint8Array {
  const v = new DataView(new ArrayBuffer(8));
  v.setUint32(0, n % 0x1_0000_0000, true);
  v.setUint32(4, Math.floor(n / 0x1_0000_0000), true);
  return new Uint8Array(v.buffer);
}
