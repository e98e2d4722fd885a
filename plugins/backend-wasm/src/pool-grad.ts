/**
 * Trellis' `MaxPoolGrad` kernel for the tfjs `wasm` backend.
 *
 * The stock tfjs-backend-wasm 4.22 `MaxPoolGrad` is wrong as soon as the
 * batch or the channel count is above 1 (relative errors of 2e-2 to 0.85
 * against the cpu backend on random inputs), and its `MaxPoolWithArgmax`
 * returns index 0 everywhere, so neither can be used for training.
 *
 * This kernel routes each output gradient to the first maximum of its window
 * in row-major order, exactly as the cpu backend (and TensorFlow) do, ties
 * included (after a relu, windows of zeros are common): one pass over the
 * windows, straight on views of the wasm heap. Each window's taps are read
 * row by row, all channels of a pixel at once (contiguous in `NHWC`), keeping
 * per channel the largest value seen so far (strictly larger wins, so the
 * first maximum stays) and its position; the window's `dy` is then added at
 * those positions. Padding never wins (only taps inside the input are read);
 * a window of NaNs or −∞ only passes no gradient, as on the cpu backend.
 *
 * When windows overlap (a stride smaller than the window) a pixel may
 * collect several gradients; they are summed in float64 in the order of the
 * windows and rounded once, which is what the cpu backend computes.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {WasmBackendLike} from './kernel-scope';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/**
 * Makes the `MaxPoolGrad` kernel function (inputs `dy`, `input`, `output`;
 * attrs `filterSize`, `strides`, `pad`, `dimRoundingMode`). Returns a new
 * float32 tensor shaped like `input`, owned by the engine.
 */
export function makeMaxPoolGrad(): tf.KernelFunc {
  return (args: KernelArgs) => {
    const {dy, input} = args.inputs as {dy: tf.TensorInfo; input: tf.TensorInfo};
    const {filterSize, strides, pad, dimRoundingMode} = args.attrs as unknown as tf.MaxPoolGradAttrs;
    const shape = input.shape as [number, number, number, number];
    const info = tf.backend_util.computePool2DInfo(shape, filterSize, strides, 1, pad, dimRoundingMode);
    const backend = args.backend as unknown as WasmBackendLike;
    const dx = backend.makeOutput(shape, 'float32');
    const size = tf.util.sizeFromShape(shape);
    if (size === 0) return dx;
    // Views are taken after the allocation, which may grow (and detach) the heap.
    const target = backend.typedArrayFromHeap(dx);
    target.fill(0);
    if (tf.util.sizeFromShape(dy.shape) === 0) return dx;
    const xs = backend.typedArrayFromHeap(input);
    const dys = backend.typedArrayFromHeap(dy);
    const [batch, inHeight, inWidth, channels] = shape;
    const {outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, padInfo} = info;
    const overlapping = strideHeight < filterHeight || strideWidth < filterWidth;
    const sums: Float32Array | Float64Array = overlapping ? new Float64Array(size) : (target as Float32Array);
    const best = new Float64Array(channels);
    const at = new Int32Array(channels);
    let out = 0;
    for (let b = 0; b < batch; b++) {
      for (let y = 0; y < outHeight; y++) {
        const top = y * strideHeight - padInfo.top;
        const rowFrom = Math.max(0, top);
        const rowTo = Math.min(inHeight, top + filterHeight);
        for (let x = 0; x < outWidth; x++, out += channels) {
          const left = x * strideWidth - padInfo.left;
          const colFrom = Math.max(0, left);
          const colTo = Math.min(inWidth, left + filterWidth);
          if (rowFrom >= rowTo || colFrom >= colTo) continue;
          // The first tap inside the input: a maximum so far unless it is −∞ or NaN.
          const first = ((b * inHeight + rowFrom) * inWidth + colFrom) * channels;
          for (let c = 0; c < channels; c++) {
            const v = xs[first + c]!;
            const finite = v > Number.NEGATIVE_INFINITY;
            best[c] = finite ? v : Number.NEGATIVE_INFINITY;
            at[c] = finite ? first + c : -1;
          }
          for (let r = rowFrom; r < rowTo; r++) {
            for (let col = r === rowFrom ? colFrom + 1 : colFrom; col < colTo; col++) {
              const pixel = ((b * inHeight + r) * inWidth + col) * channels;
              for (let c = 0; c < channels; c++) {
                const v = xs[pixel + c]!;
                if (v > best[c]!) {
                  best[c] = v;
                  at[c] = pixel + c;
                }
              }
            }
          }
          for (let c = 0; c < channels; c++) {
            const position = at[c]!;
            if (position >= 0) sums[position] = sums[position]! + dys[out + c]!;
          }
        }
      }
    }
    if (overlapping) target.set(sums);
    return dx;
  };
}
