/**
 * Model weights held on the host (typed arrays, no tensors): a trial's best
 * epoch, kept in memory or in a file, and handed across worker threads.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {FormatError, type AnyModel} from '@trellis/core';

/** Weights by name, on the host. */
export interface SavedWeights {
  readonly names: readonly string[];
  readonly shapes: readonly (readonly number[])[];
  readonly dtypes: readonly ('float32' | 'int32')[];
  readonly values: readonly (Float32Array | Int32Array)[];
}

/** Copies every weight of `model` to the host (one readback per weight; nothing to dispose). */
export async function readWeights(model: AnyModel): Promise<SavedWeights> {
  const weights = model.weights;
  const values = await Promise.all(weights.map((w) => w.variable.data()));
  return {
    names: weights.map((w) => w.name),
    shapes: weights.map((w) => [...w.variable.shape]),
    dtypes: weights.map((w) => (w.variable.dtype === 'int32' ? 'int32' : 'float32')),
    values: values.map((v, i) =>
      weights[i]!.variable.dtype === 'int32' ? Int32Array.from(v as Int32Array) : Float32Array.from(v as Float32Array),
    ),
  };
}

/** Assigns `saved` to `model` by name (every weight must be there); the temporary tensors are freed. */
export function writeWeights(model: AnyModel, saved: SavedWeights): void {
  const tensors = Object.fromEntries(
    saved.names.map((name, i) => [name, tf.tensor(saved.values[i]!, [...saved.shapes[i]!], saved.dtypes[i])]),
  );
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** The buffers of `saved`, to transfer to another thread. */
export function weightBuffers(saved: SavedWeights): ArrayBuffer[] {
  return saved.values.map((v) => v.buffer as ArrayBuffer);
}

interface Header {
  readonly format: 'trellis-tuner-weights/1';
  readonly weights: readonly {readonly name: string; readonly shape: readonly number[]; readonly dtype: 'float32' | 'int32'}[];
}

/** `saved` as one file: a 4-byte header length, a JSON header, then every weight's little-endian bytes. */
export function encodeWeights(saved: SavedWeights): Uint8Array {
  const header: Header = {
    format: 'trellis-tuner-weights/1',
    weights: saved.names.map((name, i) => ({name, shape: saved.shapes[i]!, dtype: saved.dtypes[i]!})),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const size = saved.values.reduce((s, v) => s + v.byteLength, 0);
  const out = new Uint8Array(4 + json.byteLength + size);
  new DataView(out.buffer).setUint32(0, json.byteLength, true);
  out.set(json, 4);
  let offset = 4 + json.byteLength;
  for (const v of saved.values) {
    out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), offset);
    offset += v.byteLength;
  }
  return out;
}

/** The weights of a file written by {@link encodeWeights}. @throws FormatError for a truncated or foreign file. */
export function decodeWeights(bytes: Uint8Array, where: string): SavedWeights {
  const fail = (why: string) =>
    new FormatError(`${where} is not a tuner weights file (${why}); delete it, or search again with overwrite: true.`);
  if (bytes.byteLength < 4) throw fail('too short');
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length))) as Header;
  } catch {
    throw fail('its header is not JSON');
  }
  if (header?.format !== 'trellis-tuner-weights/1' || !Array.isArray(header.weights)) throw fail('unknown header');
  let offset = 4 + length;
  const values: (Float32Array | Int32Array)[] = [];
  for (const w of header.weights) {
    const count = w.shape.reduce((a: number, b: number) => a * b, 1);
    if (offset + count * 4 > bytes.byteLength) throw fail(`it ends inside weight '${w.name}'`);
    const copy = new Uint8Array(bytes.subarray(offset, offset + count * 4)); // a copy: a Buffer's slice is a view
    values.push(w.dtype === 'int32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer));
    offset += count * 4;
  }
  if (offset !== bytes.byteLength) throw fail('it has bytes after the last weight');
  return {
    names: header.weights.map((w) => w.name),
    shapes: header.weights.map((w) => w.shape),
    dtypes: header.weights.map((w) => w.dtype),
    values,
  };
}
