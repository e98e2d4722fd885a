/**
 * The exchange format between TypeScript and Python: a JSON tree in which each
 * tensor is `{"$tensor": "x.bin", "dtype": "float32", "shape": [2, 3]}`, its
 * values in a headerless little-endian `.bin` file next to the JSON (row-major).
 * Exact for float32: no decimal round trip.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {type Json} from 'trellis';

/** A tensor read back from Python, on the host. */
export interface HostTensor {
  readonly dtype: 'float32' | 'int32';
  readonly shape: readonly number[];
  readonly values: Float32Array | Int32Array;
}

/** What may appear in a tree written for Python. */
export type TreeIn = tf.Tensor | HostTensor | Json | readonly TreeIn[] | {readonly [key: string]: TreeIn | undefined};

/** What a tree read from Python holds. */
export type TreeOut = HostTensor | string | number | boolean | null | TreeOut[] | {[key: string]: TreeOut};

type TensorRef = {$tensor: string; dtype: 'float32' | 'int32'; shape: number[]};

function isHostTensor(v: unknown): v is HostTensor {
  return typeof v === 'object' && v !== null && 'values' in v && 'shape' in v && 'dtype' in v;
}

function isRef(v: unknown): v is TensorRef {
  return typeof v === 'object' && v !== null && '$tensor' in v;
}

/**
 * Writes the tensors of `tree` to `.bin` files in `folder` (named
 * `<prefix><n>.bin`, numbered in the tree's order) and returns the JSON-ready
 * tree. Reads tensors with `await tensor.data()` and disposes nothing.
 */
export async function encodeTree(folder: string, tree: TreeIn, prefix = 'in'): Promise<unknown> {
  let count = 0;
  const write = (dtype: string, shape: readonly number[], values: Float32Array | Int32Array): TensorRef => {
    if (dtype !== 'float32' && dtype !== 'int32') throw new Error(`Only float32 and int32 tensors cross to Python; got ${dtype}`);
    const file = `${prefix}${count++}.bin`;
    writeFileSync(join(folder, file), new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    return {$tensor: file, dtype, shape: [...shape]};
  };
  // One node at a time, so the files are numbered as the tree is walked.
  const encode = async (node: TreeIn): Promise<unknown> => {
    if (node instanceof tf.Tensor) return write(node.dtype, node.shape, (await node.data()) as Float32Array | Int32Array);
    if (isHostTensor(node)) return write(node.dtype, node.shape, node.values);
    if (Array.isArray(node)) {
      const encoded: unknown[] = [];
      for (const item of node as readonly TreeIn[]) encoded.push(await encode(item));
      return encoded;
    }
    if (typeof node === 'object' && node !== null) {
      const encoded: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) encoded[k] = await encode(v as TreeIn);
      return encoded;
    }
    return node;
  };
  return encode(tree);
}

/** Reads a JSON tree written by Python, loading each tensor reference from `folder`. */
export function decodeTree(folder: string, json: unknown): TreeOut {
  if (isRef(json)) {
    const bytes = readFileSync(join(folder, json.$tensor));
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const values = json.dtype === 'int32' ? new Int32Array(buffer) : new Float32Array(buffer);
    const expected = json.shape.reduce((a, b) => a * b, 1);
    if (values.length !== expected) {
      throw new Error(`${json.$tensor}: ${values.length} values for shape [${json.shape.join(', ')}] (${expected})`);
    }
    return {dtype: json.dtype, shape: json.shape, values};
  }
  if (Array.isArray(json)) return json.map((v) => decodeTree(folder, v));
  if (typeof json === 'object' && json !== null) {
    return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, decodeTree(folder, v)]));
  }
  return json as TreeOut;
}

/** `t` as a HostTensor (read with `await tensor.data()`; `t` is not disposed). */
export async function toHost(t: tf.Tensor): Promise<HostTensor> {
  const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
  if (t.dtype === dtype) return {dtype, shape: t.shape, values: (await t.data()) as Float32Array | Int32Array};
  const cast = tf.cast(t, dtype);
  try {
    return {dtype, shape: t.shape, values: (await cast.data()) as Float32Array | Int32Array};
  } finally {
    cast.dispose();
  }
}
