/**
 * int32 matrix products for the tfjs `wasm` backend, whose stock
 * `BatchMatMul` and `_FusedMatMul` accept float32 only. `tf.math.confusionMatrix`
 * multiplies two int32 one-hot matrices, so it failed on wasm.
 *
 * The product is a plain JavaScript loop over views of the wasm heap in
 * 32-bit integer arithmetic (`Math.imul`, `| 0`): exact, and wrapping modulo
 * 2³² on overflow like the cpu backend. Batch dimensions broadcast as in the
 * stock and cpu kernels.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {runInScope, type WasmBackendLike} from './kernel-scope';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Activations whose int32 result is an integer, run with the wasm `Relu`/`Relu6` kernels. */
const int32Activations: Readonly<Record<string, string | null>> = {
  linear: null,
  relu: tf.Relu,
  relu6: tf.Relu6,
};

/** Whether both operands of a product are int32 (the case the stock kernels reject). */
export function isInt32Product(a: tf.TensorInfo | undefined, b: tf.TensorInfo | undefined): boolean {
  return a?.dtype === 'int32' && b?.dtype === 'int32';
}

/**
 * `a·b` (optionally transposed) of two int32 tensors of rank ≥ 2 with
 * broadcastable batch dimensions, as a new int32 `[...batch, m, n]` tensor
 * owned by the caller.
 *
 * @throws {Error} when a rank is below 2, the inner dimensions differ or the
 *   batch dimensions do not broadcast (the messages of the cpu kernel).
 */
export function int32MatMul(
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  backend: WasmBackendLike,
): tf.TensorInfo {
  tf.util.assert(
    a.shape.length >= 2 && b.shape.length >= 2,
    () => `Error in matMul: inputs must have rank >= 2, got ranks ${a.shape.length} and ${b.shape.length}.`,
  );
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const kB = transposeB ? bCols : bRows;
  const n = transposeB ? bRows : bCols;
  const batchShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  tf.util.assert(
    k === kB,
    () =>
      `Error in matMul: inner shapes (${k}) and (${kB}) of Tensors with shapes ${a.shape} and ` +
      `${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
  );
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
  const batch = tf.util.sizeFromShape(batchShape);
  const out = backend.makeOutput([...batchShape, m, n], 'int32');
  const size = batch * m * n;
  if (size === 0) return out;
  // Views are taken after the allocation, which may grow (and detach) the heap.
  const av = backend.typedArrayFromHeap(a) as Int32Array;
  const bv = backend.typedArrayFromHeap(b) as Int32Array;
  const ov = backend.typedArrayFromHeap(out) as Int32Array;
  ov.fill(0);
  // Element (i, p) of a's matrix is at i·aI + p·aP; element (p, j) of b's at p·bP + j·bJ.
  const [aI, aP] = transposeA ? [1, m] : [k, 1];
  const [bP, bJ] = transposeB ? [1, k] : [n, 1];
  for (let t = 0; t < batch; t++) {
    const aOffset = (t % batchA) * m * k;
    const bOffset = (t % batchB) * k * n;
    for (let i = 0; i < m; i++) {
      const row = (t * m + i) * n;
      for (let p = 0; p < k; p++) {
        const x = av[aOffset + i * aI + p * aP]!;
        // One-hot operands (confusion matrices) are mostly zeros; adding 0 changes nothing.
        if (x === 0) continue;
        const bRow = bOffset + p * bP;
        for (let j = 0; j < n; j++) ov[row + j] = (ov[row + j]! + Math.imul(x, bv[bRow + j * bJ]!)) | 0;
      }
    }
  }
  return out;
}

/** The `BatchMatMul` kernel for two int32 operands. */
export function int32BatchMatMul(args: KernelArgs): tf.TensorInfo {
  const {a, b} = args.inputs as {a: tf.TensorInfo; b: tf.TensorInfo};
  const {transposeA, transposeB} = (args.attrs ?? {}) as {transposeA?: boolean; transposeB?: boolean};
  return int32MatMul(a, b, Boolean(transposeA), Boolean(transposeB), args.backend as unknown as WasmBackendLike);
}

/**
 * Whether {@link int32FusedMatMul} computes this `_FusedMatMul`: int32
 * operands, no bias or an int32 one, and a `linear`, `relu` or `relu6`
 * activation. (The other activations have no integer result; the cpu backend
 * truncates or changes the dtype, so they are left to the stock kernel's error.)
 */
export function canFuseInt32(args: KernelArgs): boolean {
  const {a, b, bias} = args.inputs as {a?: tf.TensorInfo; b?: tf.TensorInfo; bias?: tf.TensorInfo};
  const activation = String(args.attrs?.['activation'] ?? 'linear');
  return isInt32Product(a, b) && (bias == null || bias.dtype === 'int32') && activation in int32Activations;
}

/**
 * The `_FusedMatMul` kernel (`activation(a·b + bias)`) for int32 operands:
 * the int32 product, then the wasm `Add` (bias, broadcast) and `Relu`/`Relu6`
 * kernels. Call only when {@link canFuseInt32} holds.
 */
export function int32FusedMatMul(args: KernelArgs): tf.TensorInfo {
  return runInScope(args, (scope) => {
    const {a, b, bias} = args.inputs as {a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo};
    const attrs = args.attrs ?? {};
    const activation = int32Activations[String(attrs['activation'] ?? 'linear')] ?? null;
    let y = scope.adopt(int32MatMul(a, b, Boolean(attrs['transposeA']), Boolean(attrs['transposeB']), scope.backend));
    if (bias != null) y = scope.run(tf.Add, {a: y, b: bias});
    if (activation != null) y = scope.run(activation, {x: y});
    return y;
  });
}
