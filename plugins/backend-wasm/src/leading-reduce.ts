/**
 * Trellis' `Sum` and `Mean` kernels for the tfjs `wasm` backend: a reduction
 * over the *leading* axes in one pass over the wasm heap.
 *
 * The stock tfjs-backend-wasm 4.22 kernels reduce only innermost axes; any
 * other reduction first transposes the whole input (a full copy through the
 * generic transpose) so that the reduced axes come last. Training reduces
 * over the leading axes all the time: a bias gradient sums `dy` over the
 * batch (`[N, units]` → `[units]`) or over `N, H, W` for a convolution,
 * batch normalization takes its moments over every axis but the channels,
 * and the gradients of its broadcasts sum over those axes again. Seen as a
 * `[rows, inner]` matrix such an input is summed row after row into `inner`
 * float64 accumulators: one streaming read, no copy, and sums at least as
 * accurate as the cpu backend's (which also adds in float64). The result is
 * rounded to float32 once (a mean: the sum divided by the row count).
 *
 * The reduction of an empty tensor is zeros (a sum or a mean), as on the
 * cpu backend; the stock kernels return uninitialized memory there.
 * Every other case (innermost or mixed axes, every axis, int32 or bool
 * input) goes to the stock kernel unchanged.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {WasmBackendLike} from './kernel-scope';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** How many leading axes `axis` reduces when it is exactly `0, 1, …, k − 1` with `0 < k < rank`; otherwise 0. */
function leadingAxes(axis: number | number[], shape: readonly number[]): number {
  const rank = shape.length;
  if (rank < 2) return 0;
  let axes: number[];
  try {
    axes = tf.util.parseAxisParam(axis, shape as number[]);
  } catch {
    return 0; // the stock kernel reports the bad axis
  }
  const sorted = [...new Set(axes)].sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.length >= rank || sorted.length !== axes.length) return 0;
  return sorted.every((a, i) => a === i) ? sorted.length : 0;
}

/**
 * The reduction of an empty tensor: zeros, for a sum and for a mean, as on
 * the cpu backend. (The stock kernels return uninitialized memory.)
 */
function emptyReduce(backend: WasmBackendLike, x: tf.TensorInfo, axis: number | number[], keepDims: boolean, mean: boolean): tf.TensorInfo {
  const axes = tf.util.parseAxisParam(axis, x.shape);
  const [outShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
  const shape = keepDims ? tf.backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
  const dtype = mean ? 'float32' : tf.upcastType(x.dtype, 'int32');
  const out = backend.makeOutput(shape, dtype);
  if (tf.util.sizeFromShape(shape) > 0) backend.typedArrayFromHeap(out).fill(0);
  return out;
}

/**
 * Makes a `Sum` (`mean` false) or `Mean` (`mean` true) kernel function
 * (input `x`; attrs `axis`, `keepDims`) that reduces float32 inputs over
 * their leading axes itself and hands everything else to `stock`. Returns a
 * new float32 tensor owned by the engine.
 *
 * @param stock - the stock wasm kernel function of the same name.
 */
export function makeLeadingReduce(stock: tf.KernelFunc, mean: boolean): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x as tf.TensorInfo;
    const {axis, keepDims} = args.attrs as unknown as {axis: number | number[]; keepDims: boolean};
    const backend = args.backend as unknown as WasmBackendLike;
    if (tf.util.sizeFromShape(x.shape) === 0 && x.dtype !== 'string') return emptyReduce(backend, x, axis, keepDims, mean);
    const leading = x.dtype === 'float32' ? leadingAxes(axis, x.shape) : 0;
    if (leading === 0) return stock(args);
    const rows = tf.util.sizeFromShape(x.shape.slice(0, leading));
    const inner = tf.util.sizeFromShape(x.shape.slice(leading));
    const outShape = keepDims ? [...x.shape.slice(0, leading).map(() => 1), ...x.shape.slice(leading)] : x.shape.slice(leading);
    const out = backend.makeOutput(outShape, 'float32');
    // Views are taken after the allocation, which may grow (and detach) the heap.
    const values = backend.typedArrayFromHeap(x);
    const sums = new Float64Array(inner);
    for (let r = 0, i = 0; r < rows; r++) {
      for (let c = 0; c < inner; c++, i++) sums[c] = sums[c]! + values[i]!;
    }
    const target = backend.typedArrayFromHeap(out);
    if (mean) {
      for (let c = 0; c < inner; c++) target[c] = sums[c]! / rows;
    } else {
      target.set(sums);
    }
    return out;
  };
}
