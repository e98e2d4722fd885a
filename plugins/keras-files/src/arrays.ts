/**
 * Weight arrays as they cross the file boundary: dtype, shape and a flat row-major typed array.
 * @module
 */
import {ConfigError, ShapeError} from '@trellis/core';

/**
 * The dtypes read and written. `float16` and `bfloat16` are read (widened exactly to `Float32Array`)
 * but not written.
 */
export type KerasDType =
  | 'float16'
  | 'bfloat16'
  | 'float32'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64';

/** The typed arrays that hold values: `Float32Array` for float32 (and widened float16/bfloat16), `Int32Array` for int32, and so on; 64-bit integers as `BigInt64Array`/`BigUint64Array`. */
export type KerasTypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** One weight or optimizer variable: its dtype, its shape (`[]` for a scalar) and its values, row-major. */
export interface KerasArray {
  /** The dtype stored in the file. */
  readonly dtype: KerasDType;
  /** The shape; `[]` is a scalar (a 0-d dataset). */
  readonly shape: readonly number[];
  /** The values in row-major (C) order; `values.length` is the product of `shape`. */
  readonly values: KerasTypedArray;
}

interface DTypeInfo {
  readonly h5: string | undefined;
  readonly ctor: new (n: number) => KerasTypedArray;
  readonly size: number;
}

/** How each dtype is stored (`h5`: the h5wasm dtype string, `undefined` when not written). */
export const DTYPES: Readonly<Record<KerasDType, DTypeInfo>> = {
  float16: {h5: undefined, ctor: Float32Array, size: 2},
  bfloat16: {h5: undefined, ctor: Float32Array, size: 2},
  float32: {h5: '<f', ctor: Float32Array, size: 4},
  float64: {h5: '<d', ctor: Float64Array, size: 8},
  int8: {h5: '<b', ctor: Int8Array, size: 1},
  uint8: {h5: '<B', ctor: Uint8Array, size: 1},
  int16: {h5: '<h', ctor: Int16Array, size: 2},
  uint16: {h5: '<H', ctor: Uint16Array, size: 2},
  int32: {h5: '<i', ctor: Int32Array, size: 4},
  uint32: {h5: '<I', ctor: Uint32Array, size: 4},
  int64: {h5: '<q', ctor: BigInt64Array, size: 8},
  uint64: {h5: '<Q', ctor: BigUint64Array, size: 8},
};

/** The number of elements of `shape` (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Checks that an array to be written is consistent; returns its h5wasm dtype. */
export function checkArrayForWriting(array: KerasArray, where: string): string {
  if (typeof array !== 'object' || array === null)
    throw new ConfigError(`${where}: expected {dtype, shape, values}, got ${String(array)}.`);
  const info = (DTYPES as Record<string, DTypeInfo | undefined>)[array.dtype];
  if (info === undefined)
    throw new ConfigError(`${where}: unknown dtype '${String(array.dtype)}'; known: ${Object.keys(DTYPES).join(', ')}.`);
  if (info.h5 === undefined) throw new ConfigError(`${where}: dtype ${array.dtype} is read but not written; convert it to float32 first.`);
  if (!Array.isArray(array.shape) || !array.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new ShapeError(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(array.shape)}.`);
  }
  if (!(array.values instanceof info.ctor)) {
    throw new ConfigError(
      `${where}: dtype ${array.dtype} needs values in a ${info.ctor.name}, got ${array.values?.constructor?.name ?? String(array.values)}.`,
    );
  }
  const n = sizeOf(array.shape);
  if (array.values.length !== n) {
    throw new ShapeError(`${where}: shape [${array.shape.join(', ')}] holds ${n} values, got ${array.values.length}.`);
  }
  if (n === 0) throw new ShapeError(`${where}: arrays with no elements (shape [${array.shape.join(', ')}]) are not written.`);
  return info.h5;
}

/** Widens IEEE half-precision bits to float32. */
export function halfToFloat(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) {
    const h = bits[i]!;
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    out[i] =
      exp === 0
        ? sign * 2 ** -14 * (frac / 1024)
        : exp === 31
          ? frac
            ? Number.NaN
            : sign * Infinity
          : sign * 2 ** (exp - 15) * (1 + frac / 1024);
  }
  return out;
}

/** Widens bfloat16 bits to float32 (exact: bfloat16 is the top half of a float32). */
export function bfloat16ToFloat(bits: Uint16Array): Float32Array {
  const wide = new Uint32Array(bits.length);
  for (let i = 0; i < bits.length; i++) wide[i] = bits[i]! << 16;
  return new Float32Array(wide.buffer);
}
