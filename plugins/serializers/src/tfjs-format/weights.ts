/**
 * Weight manifests and binary weight data as tfjs writes them: tensors
 * packed back to back, little-endian, in manifest order; 4 MB shards.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DTypeError, FormatError, describeValue} from '@trellis/core';
import {isObject} from '../keras-config/types';

/** tfjs' shard size: 4 MiB, as the converter writes (`write_weights.py`). */
export const SHARD_BYTES = 4 * 1024 * 1024;

/** A tensor to store, by name, with its manifest group. */
export type NamedWeight = {readonly name: string; readonly tensor: tf.Tensor; readonly group?: 'model' | 'optimizer'};

const BYTES: Readonly<Record<string, number>> = {float32: 4, int32: 4, bool: 1};
const QUANTIZED_BYTES: Readonly<Record<string, number>> = {uint8: 1, uint16: 2, float16: 2};

/**
 * The manifest entries and bytes of `weights` (read back from the device once
 * each; nothing is disposed). float32, int32 and bool tensors only.
 * @throws DTypeError for another dtype; ConfigError for a duplicate name.
 */
export async function encodeWeights(weights: readonly NamedWeight[]): Promise<{specs: tf.io.WeightsManifestEntry[]; data: Uint8Array}> {
  const names = new Set<string>();
  const specs: tf.io.WeightsManifestEntry[] = [];
  let total = 0;
  for (const w of weights) {
    if (names.has(w.name)) throw new ConfigError(`Two weights to save are both named '${w.name}'.`);
    names.add(w.name);
    const size = BYTES[w.tensor.dtype];
    if (size === undefined)
      throw new DTypeError(`Weight '${w.name}' is ${w.tensor.dtype}; the layers format stores float32, int32 and bool weights.`);
    total += size * w.tensor.size;
    specs.push({name: w.name, shape: [...w.tensor.shape], dtype: w.tensor.dtype as 'float32', ...(w.group ? {group: w.group} : {})});
  }
  const data = new Uint8Array(total);
  let offset = 0;
  for (const w of weights) {
    const values = await w.tensor.data();
    const bytes =
      w.tensor.dtype === 'bool'
        ? Uint8Array.from(values as Uint8Array, (v) => (v ? 1 : 0))
        : new Uint8Array(values.buffer as ArrayBuffer, values.byteOffset, values.byteLength);
    data.set(bytes, offset);
    offset += bytes.byteLength;
  }
  return {specs, data};
}

/** `data` cut into shards of at most `shardBytes` bytes (one empty shard for no data). */
export function shardBytes(data: Uint8Array, shardBytes = SHARD_BYTES): Uint8Array[] {
  if (!Number.isInteger(shardBytes) || shardBytes <= 0)
    throw new ConfigError(`shardBytes must be a positive integer; got ${describeValue(shardBytes)}.`);
  const shards: Uint8Array[] = [];
  for (let at = 0; at < data.byteLength; at += shardBytes) shards.push(data.subarray(at, Math.min(at + shardBytes, data.byteLength)));
  return shards.length > 0 ? shards : [new Uint8Array(0)];
}

/** The shard file names of one group, as the tfjs converter names them: `group1-shard1of2.bin`. */
export function shardNames(count: number, group = 1): string[] {
  return Array.from({length: count}, (_, i) => `group${group}-shard${i + 1}of${count}.bin`);
}

/**
 * Checks one manifest entry (`where` locates it) and returns its byte length.
 * @throws FormatError for a missing or mistyped field, a dtype the layers format does not store, or a
 *   size beyond `Number.MAX_SAFE_INTEGER`.
 */
export function entryBytes(entry: unknown, where: string): number {
  if (!isObject(entry)) throw new FormatError(`${where}: expected a weight entry {name, shape, dtype}; got ${describeValue(entry)}.`);
  const {name, shape, dtype, group, quantization} = entry;
  if (typeof name !== 'string' || name === '') throw new FormatError(`${where}: the weight has no name.`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw new FormatError(`${where} ('${name}'): shape must be an array of non-negative integers; got ${describeValue(shape)}.`);
  }
  if (group !== undefined && group !== 'model' && group !== 'optimizer')
    throw new FormatError(`${where} ('${name}'): group must be 'model' or 'optimizer'; got ${describeValue(group)}.`);
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count)) throw new FormatError(`${where} ('${name}'): shape [${shape.join(', ')}] is too large.`);
  let size: number | undefined;
  if (quantization !== undefined) {
    if (!isObject(quantization) || typeof quantization.dtype !== 'string' || QUANTIZED_BYTES[quantization.dtype] === undefined) {
      throw new FormatError(
        `${where} ('${name}'): quantization must be {dtype: 'uint8' | 'uint16' | 'float16', scale?, min?}; got ${describeValue(quantization)}.`,
      );
    }
    for (const k of ['scale', 'min'] as const) {
      if (quantization[k] !== undefined && (typeof quantization[k] !== 'number' || !Number.isFinite(quantization[k]))) {
        throw new FormatError(`${where} ('${name}'): quantization.${k} must be a finite number; got ${describeValue(quantization[k])}.`);
      }
    }
    if (quantization.dtype !== 'float16' && (quantization.scale === undefined || quantization.min === undefined)) {
      throw new FormatError(`${where} ('${name}'): ${quantization.dtype} quantization needs scale and min.`);
    }
    if (dtype !== 'float32' && dtype !== 'int32')
      throw new FormatError(`${where} ('${name}'): a quantized weight must be float32 or int32; got ${describeValue(dtype)}.`);
    size = QUANTIZED_BYTES[quantization.dtype];
  } else {
    size = typeof dtype === 'string' ? BYTES[dtype] : undefined;
  }
  if (size === undefined) {
    throw new FormatError(`${where} ('${name}'): dtype ${describeValue(dtype)} is not stored by Trellis; expected float32, int32 or bool.`);
  }
  return size * count;
}

/** A weights manifest group, checked. */
export type ManifestGroup = {
  readonly paths: readonly string[];
  readonly weights: readonly tf.io.WeightsManifestEntry[];
  readonly bytes: number;
};

/**
 * Checks a `weightsManifest` (`file` names it in errors) and each group's
 * byte length; shard paths must be plain file names (no folders, no `..`).
 * @throws FormatError naming the part; DataError when the total exceeds `maxBytes`.
 */
export function checkManifest(manifest: unknown, file: string, maxBytes: number): ManifestGroup[] {
  if (!Array.isArray(manifest))
    throw new FormatError(`${file}: weightsManifest must be an array of {paths, weights} groups; got ${describeValue(manifest)}.`);
  const names = new Set<string>();
  let total = 0;
  return manifest.map((group, g) => {
    const where = `${file}: weightsManifest[${g}]`;
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new FormatError(`${where}: expected {paths: string[], weights: entry[]}; got ${describeValue(group)}.`);
    }
    for (const path of group.paths) checkShardPath(path, `${where}.paths`);
    let bytes = 0;
    group.weights.forEach((entry, i) => {
      bytes += entryBytes(entry, `${where}.weights[${i}]`);
      const name = (entry as {name: string}).name;
      if (names.has(name)) throw new FormatError(`${where}.weights[${i}]: the weight '${name}' is listed twice.`);
      names.add(name);
    });
    if (group.weights.length > 0 && group.paths.length === 0) throw new FormatError(`${where}: lists weights but no shard files.`);
    total += bytes;
    if (total > maxBytes) {
      throw new FormatError(
        `${where}: the weights need ${total} bytes, more than maxBytes (${maxBytes}). Raise maxBytes if the file is trusted.`,
      );
    }
    return {paths: group.paths as string[], weights: group.weights as unknown as tf.io.WeightsManifestEntry[], bytes};
  });
}

/**
 * Throws a FormatError unless `path` is a plain file name within the model's
 * folder: no `/`, `\`, `..`, scheme or absolute path (a manifest can name
 * nothing outside it).
 */
export function checkShardPath(path: unknown, where: string): string {
  const name = typeof path === 'string' ? path.replace(/^\.\//, '') : '';
  if (name === '' || name === '.' || name === '..' || /[\\/:\0]/.test(name)) {
    throw new FormatError(
      `${where}: ${describeValue(path)} is not a plain file name next to model.json; shard paths may not name folders.`,
    );
  }
  return name;
}

/**
 * Checks that `byteLength` bytes of weight data hold exactly the weights of
 * `specs` (`file` names the data in errors).
 * @throws FormatError for truncated or oversized data.
 */
export function checkDataLength(specs: readonly tf.io.WeightsManifestEntry[], byteLength: number, file: string): void {
  const expected = specs.reduce((n, s, i) => n + entryBytes(s, `${file}: weight ${i}`), 0);
  if (expected !== byteLength) {
    throw new FormatError(
      `${file}: the manifest's weights need ${expected} bytes but the weight data has ${byteLength}` +
        `${byteLength < expected ? ' (truncated)' : ' (trailing bytes: corrupt or of another manifest)'}.`,
    );
  }
}

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * tfjs `WeightData` (one buffer or several) as one byte array (`file` names it in errors).
 * @throws FormatError when it is not an ArrayBuffer (or a view of one) or an array of them.
 */
export function weightDataBytes(data: tf.io.WeightData | undefined, file = 'the model'): Uint8Array {
  if (data === undefined || data === null) return new Uint8Array(0);
  const bytes = (part: unknown): Uint8Array => {
    if (part instanceof ArrayBuffer || Object.prototype.toString.call(part) === '[object ArrayBuffer]')
      return new Uint8Array(part as ArrayBuffer);
    if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
    throw new FormatError(`${file}: weightData must be an ArrayBuffer or an array of ArrayBuffers; got ${describeValue(part)}.`);
  };
  return Array.isArray(data) ? concatBytes(data.map(bytes)) : bytes(data);
}

/**
 * Decodes checked weight data into tensors by name (the caller owns them).
 * `data` must have passed {@link checkDataLength} for `specs`.
 */
export function decodeWeights(data: Uint8Array, specs: readonly tf.io.WeightsManifestEntry[]): tf.NamedTensorMap {
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  return tf.io.decodeWeights(buffer, [...specs]);
}
