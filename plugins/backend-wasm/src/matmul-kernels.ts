/**
 * Trellis' `BatchMatMul` and `_FusedMatMul` kernels for the tfjs `wasm`
 * backend: wrappers around the stock kernels that keep every product on
 * XNNPACK's fast path.
 *
 * tfjs-backend-wasm 4.22 runs a product on XNNPACK only when neither operand
 * is transposed and both batch sizes are 1; anything else falls to a scalar
 * blocked loop (13–26× slower). Autodiff of every dense layer asks for
 * `x^T·dy` (transposeA) and `dy·W^T` (transposeB), so training spends most of
 * its time there. The wrappers materialize a transposed operand with the
 * backend's own `Transpose` kernel and fold a batched left operand against an
 * unbatched right one into a single tall matrix, then call the stock kernel on
 * the plain product.
 *
 * The stock `_FusedMatMul` is also *wrong* on that slow loop when a bias or a
 * relu/relu6 is fused (it adds the bias and clamps once per 48-wide block of
 * the shared dimension), and with a bias of size 1 on the fast path (it reads
 * past the bias). The fused wrapper therefore only hands XNNPACK the cases it
 * gets right (batch 1 after folding, a bias as long as the output's last
 * dimension) and otherwise computes product, bias add and activation with the
 * stock `BatchMatMul`, `Add` and activation kernels.
 *
 * Both operands int32 (`tf.math.confusionMatrix`), which the stock kernels
 * reject, go to the exact integer kernels of `./int32-matmul`.
 *
 * Kernel functions receive raw `TensorInfo`s and return one new `TensorInfo`
 * owned by the engine; every intermediate data id created here is released
 * with `backend.disposeData` before returning (or throwing).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {canFuseInt32, int32BatchMatMul, int32FusedMatMul, isInt32Product} from './int32-matmul';

/** The parts of the wasm backend the wrappers use. */
type Backend = {disposeData(dataId: tf.DataId, force?: boolean): boolean};

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Activations the stock fused kernel knows, mapped to the unfused kernels used instead. */
const activationKernels: Readonly<Record<string, string | null>> = {
  linear: null,
  relu: tf.Relu,
  relu6: tf.Relu6,
  elu: tf.Elu,
  sigmoid: tf.Sigmoid,
  leakyrelu: tf.LeakyRelu,
  prelu: tf.Prelu,
};

/** Operands prepared for a plain (untransposed) product. */
interface PlainOperands {
  /** Left operand as `[batch, m, k]`. */
  readonly a: tf.TensorInfo;
  /** Right operand as `[batch, k, n]`. */
  readonly b: tf.TensorInfo;
  /** The shape the caller expects back (`[...broadcastBatch, m, n]`). */
  readonly outShape: number[];
  /** Data ids created here; the caller disposes them. */
  readonly temporaries: tf.DataId[];
  /** Whether `a`/`b` differ from the caller's operands (transposed or folded). */
  readonly changed: boolean;
}

function lastTwo(shape: readonly number[]): [number, number] {
  return [shape[shape.length - 2] ?? 0, shape[shape.length - 1] ?? 0];
}

/**
 * Whether the wrappers can take over: float32 operands of rank ≥ 2 whose
 * inner dimensions match, with broadcastable batch dimensions and no empty
 * dimension. Anything else goes to the stock kernel, which throws the error
 * tfjs users know (or handles the odd case as it always did).
 */
function canRewrite(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): boolean {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return false;
  if (a.shape.length < 2 || b.shape.length < 2) return false;
  if (tf.util.sizeFromShape(a.shape) === 0 || tf.util.sizeFromShape(b.shape) === 0) return false;
  const [aRows, aCols] = lastTwo(a.shape);
  const [bRows, bCols] = lastTwo(b.shape);
  if ((transposeA ? aRows : aCols) !== (transposeB ? bCols : bRows)) return false;
  try {
    tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch {
    return false;
  }
  return true;
}

/** Runs the currently registered wasm kernel `name` (a stock one: Transpose, Add, activations). */
function runWasmKernel(name: string, inputs: tf.NamedTensorInfoMap, backend: Backend, attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (kernel == null) throw new Error(`The wasm backend has no '${name}' kernel; is @tensorflow/tfjs-backend-wasm loaded?`);
  return kernel.kernelFunc({inputs, backend, attrs}) as tf.TensorInfo;
}

/** `[batch, r, c]` → a new `[batch, c, r]` (owned by the caller). */
function transposeLastTwo(x: tf.TensorInfo, backend: Backend): tf.TensorInfo {
  return runWasmKernel(tf.Transpose, {x}, backend, {perm: [0, 2, 1]});
}

/**
 * Views both operands as rank 3, materializes transposes, and folds
 * `[B, m, k] · [1, k, n]` into `[1, B·m, k] · [1, k, n]` (same rows, one
 * XNNPACK call). Views share the caller's data id and are never disposed.
 */
function toPlainOperands(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean, backend: Backend): PlainOperands {
  const [aRows, aCols] = lastTwo(a.shape);
  const [bRows, bCols] = lastTwo(b.shape);
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  const outShape = [...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n];
  const temporaries: tf.DataId[] = [];
  let a3: tf.TensorInfo = {dataId: a.dataId, dtype: a.dtype, shape: [batchA, aRows, aCols]};
  let b3: tf.TensorInfo = {dataId: b.dataId, dtype: b.dtype, shape: [batchB, bRows, bCols]};
  try {
    if (transposeA) {
      a3 = transposeLastTwo(a3, backend);
      temporaries.push(a3.dataId);
    }
    if (transposeB) {
      b3 = transposeLastTwo(b3, backend);
      temporaries.push(b3.dataId);
    }
  } catch (error) {
    for (const dataId of temporaries) backend.disposeData(dataId);
    throw error;
  }
  const fold = batchA > 1 && batchB === 1;
  if (fold) a3 = {dataId: a3.dataId, dtype: a3.dtype, shape: [1, batchA * m, k]};
  return {a: a3, b: b3, outShape, temporaries, changed: transposeA || transposeB || fold};
}

/**
 * Makes the `BatchMatMul` kernel function. Two int32 operands get the exact
 * integer product of `./int32-matmul`.
 *
 * @param stock - the stock wasm `BatchMatMul` kernel function, called for the
 *   plain product (and for everything the wrapper does not rewrite).
 */
export function makeBatchMatMul(stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const {a, b} = args.inputs as {a: tf.TensorInfo; b: tf.TensorInfo};
    const transposeA = Boolean(args.attrs?.['transposeA']);
    const transposeB = Boolean(args.attrs?.['transposeB']);
    if (isInt32Product(a, b)) return int32BatchMatMul(args);
    if (a == null || b == null || !canRewrite(a, b, transposeA, transposeB)) return stock(args);
    const backend = args.backend as Backend;
    const plain = toPlainOperands(a, b, transposeA, transposeB, backend);
    if (!plain.changed) return stock(args);
    try {
      const out = stock({inputs: {a: plain.a, b: plain.b}, backend, attrs: {transposeA: false, transposeB: false}});
      return {...(out as tf.TensorInfo), shape: plain.outShape};
    } finally {
      for (const dataId of plain.temporaries) backend.disposeData(dataId);
    }
  };
}

/**
 * Makes the `_FusedMatMul` kernel function (`activation(a·b + bias)`). Two
 * int32 operands with an int32 bias (or none) and a linear, relu or relu6
 * activation get the exact integer product of `./int32-matmul`.
 *
 * @param stockFused - the stock wasm `_FusedMatMul` kernel function, used when
 *   the product lands on XNNPACK's fast path with a full-length bias.
 * @param stockBatchMatMul - the stock wasm `BatchMatMul` kernel function, used
 *   for the unfused fallback.
 */
export function makeFusedMatMul(stockFused: tf.KernelFunc, stockBatchMatMul: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    if (canFuseInt32(args)) return int32FusedMatMul(args);
    const inputs = args.inputs as {
      a: tf.TensorInfo;
      b: tf.TensorInfo;
      bias?: tf.TensorInfo;
      preluActivationWeights?: tf.TensorInfo;
    };
    const {a, b, bias, preluActivationWeights} = inputs;
    const attrs = args.attrs ?? {};
    const transposeA = Boolean(attrs['transposeA']);
    const transposeB = Boolean(attrs['transposeB']);
    const activation = String(attrs['activation'] ?? 'linear');
    if (
      a == null ||
      b == null ||
      !canRewrite(a, b, transposeA, transposeB) ||
      !(activation in activationKernels) ||
      (bias != null && (bias.shape.length !== 1 || bias.dtype !== 'float32')) ||
      (activation === 'prelu' && preluActivationWeights == null)
    ) {
      return stockFused(args);
    }
    const backend = args.backend as Backend;
    const plain = toPlainOperands(a, b, transposeA, transposeB, backend);
    const n = plain.outShape[plain.outShape.length - 1] ?? 0;
    const fastPath = plain.a.shape[0] === 1 && plain.b.shape[0] === 1 && (bias == null || bias.shape[0] === n);
    if (fastPath && !plain.changed) return stockFused(args);
    const created: tf.DataId[] = [];
    try {
      if (fastPath) {
        const out = stockFused({
          inputs: {a: plain.a, b: plain.b, ...(bias ? {bias} : {}), ...(preluActivationWeights ? {preluActivationWeights} : {})},
          backend,
          attrs: {...attrs, transposeA: false, transposeB: false},
        }) as tf.TensorInfo;
        return {...out, shape: plain.outShape};
      }
      let y = stockBatchMatMul({
        inputs: {a: plain.a, b: plain.b},
        backend,
        attrs: {transposeA: false, transposeB: false},
      }) as tf.TensorInfo;
      created.push(y.dataId);
      if (bias != null) {
        y = runWasmKernel(tf.Add, {a: y, b: bias}, backend);
        created.push(y.dataId);
      }
      const kernel = activationKernels[activation];
      if (kernel === tf.Prelu) {
        y = runWasmKernel(kernel, {x: y, alpha: preluActivationWeights as tf.TensorInfo}, backend);
        created.push(y.dataId);
      } else if (kernel === tf.LeakyRelu) {
        y = runWasmKernel(kernel, {x: y}, backend, {alpha: Number(attrs['leakyreluAlpha'] ?? 0.2)});
        created.push(y.dataId);
      } else if (kernel != null) {
        y = runWasmKernel(kernel, {x: y}, backend);
        created.push(y.dataId);
      }
      // The result is kept; only the intermediates before it are released.
      created.pop();
      return {...y, shape: plain.outShape};
    } finally {
      for (const dataId of created) backend.disposeData(dataId);
      for (const dataId of plain.temporaries) backend.disposeData(dataId);
    }
  };
}
