/**
 * Trellis' `Slice` and `GatherV2` kernels for the tfjs `wasm` backend: row
 * copies straight between views of the wasm heap.
 *
 * tfjs-backend-wasm 4.22's `Slice` reads the *whole* input back with
 * `readSync` (a copy of every element) before copying out the slice, so taking
 * a batch of 128 rows from the 54,000 MNIST training images costs ~90 ms: more
 * than five training steps. Every validation batch and every unshuffled
 * training batch is such a slice. A contiguous slice is a single `subarray`
 * copy; the wrapper does that and hands every other case to the stock kernel.
 *
 * `GatherV2` along axis 0 (a shuffled batch) is likewise one `subarray` copy
 * per row, ~10× faster than the stock element-wise loop.
 *
 * Views of the heap are taken only after the output is allocated, because an
 * allocation may grow (and so detach) the heap.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/** The parts of the wasm backend the kernels use. */
type WasmBackend = {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
};

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** A `Slice` kernel that copies contiguous slices straight from the heap. */
export function makeSlice(stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const x = args.inputs.x as tf.TensorInfo;
    const {begin, size} = args.attrs as unknown as {begin: number | number[]; size?: number | number[]};
    if (x.dtype === 'string') return stock(args);
    const [begin_, size_] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, begin, size) as [number[], number[]];
    if (!tf.slice_util.isSliceContinous(x.shape, begin_, size_)) return stock(args);
    const backend = args.backend as WasmBackend;
    const out = backend.makeOutput(size_, x.dtype);
    const count = tf.util.sizeFromShape(size_);
    if (count > 0) {
      const offset = tf.slice_util.computeFlatOffset(begin_, tf.util.computeStrides(x.shape));
      const source = backend.typedArrayFromHeap(x);
      backend.typedArrayFromHeap(out).set(source.subarray(offset, offset + count));
    }
    return out;
  };
}

/** Rows up to this many elements are copied element by element. */
const SHORT_ROW = 16;

/** A `GatherV2` kernel that copies whole rows for a gather along axis 0. */
export function makeGather(stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const {x, indices} = args.inputs as {x: tf.TensorInfo; indices: tf.TensorInfo};
    const {axis, batchDims} = args.attrs as unknown as {axis: number; batchDims: number};
    const rank = x.shape.length;
    const parsedAxis = axis < 0 ? axis + rank : axis;
    if (x.dtype === 'string' || indices.dtype !== 'int32' || parsedAxis !== 0 || (batchDims ?? 0) !== 0 || rank === 0) {
      return stock(args);
    }
    const backend = args.backend as WasmBackend;
    const rows = x.shape[0]!;
    const rowSize = tf.util.sizeFromShape(x.shape.slice(1));
    const indexCount = tf.util.sizeFromShape(indices.shape);
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    if (indexCount === 0 || rowSize === 0) return out;
    const source = backend.typedArrayFromHeap(x);
    const target = backend.typedArrayFromHeap(out);
    const index = backend.typedArrayFromHeap(indices);
    for (let i = 0; i < indexCount; i++) {
      const row = index[i]!;
      // Same bound check and message as the stock kernel.
      if (!(row >= 0 && row <= rows - 1)) throw new Error(`GatherV2: the index value ${row} is not in [0, ${rows - 1}]`);
      if (rowSize > SHORT_ROW) {
        target.set(source.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
      } else {
        // Short rows (e.g. one pixel's channels): a plain loop beats a subarray per row by ~10×.
        for (let j = 0, from = row * rowSize, to = i * rowSize; j < rowSize; j++) target[to + j] = source[from + j]!;
      }
    }
    return out;
  };
}
