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
 * included (after a relu, windows of zeros are common):
 *
 * 1. the input is padded with −∞ (`PadV2`); the `FH·FW` strided windows of
 *    the taps are copied out as rows of a `[taps, count]` matrix (heap row
 *    copies, `Concat`), whose first maximum per column is the wasm `ArgMax`;
 * 2. the tap index becomes a flat position in the padded input (window
 *    corner + tap offset, integer arithmetic);
 * 3. `dy` is summed into those positions by the wasm `ScatterNd` kernel
 *    (overlapping windows add up), and the padding is cropped off.
 *
 * Intermediates are released before the kernel returns.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {crop2d, pad2d, runInScope, stridedWindow} from './kernel-scope';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/**
 * Makes the `MaxPoolGrad` kernel function (inputs `dy`, `input`, `output`;
 * attrs `filterSize`, `strides`, `pad`, `dimRoundingMode`). Returns a new
 * float32 tensor shaped like `input`, owned by the engine.
 */
export function makeMaxPoolGrad(): tf.KernelFunc {
  return (args: KernelArgs) =>
    runInScope(args, (scope) => {
      const {dy, input} = args.inputs as {dy: tf.TensorInfo; input: tf.TensorInfo};
      const {filterSize, strides, pad, dimRoundingMode} = args.attrs as unknown as tf.MaxPoolGradAttrs;
      const shape = input.shape as [number, number, number, number];
      const info = tf.backend_util.computePool2DInfo(shape, filterSize, strides, 1, pad, dimRoundingMode);
      const [batch, inHeight, inWidth, channels] = shape;
      const {outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, padInfo} = info;
      if (tf.util.sizeFromShape(shape) === 0 || tf.util.sizeFromShape(dy.shape) === 0) {
        return scope.run(tf.Fill, {}, {shape, value: 0, dtype: 'float32'});
      }
      const rows = filterHeight + (outHeight - 1) * strideHeight;
      const cols = filterWidth + (outWidth - 1) * strideWidth;
      const bottom = Math.max(0, rows - padInfo.top - inHeight);
      const right = Math.max(0, cols - padInfo.left - inWidth);
      const padded = pad2d(scope, input, padInfo.top, bottom, padInfo.left, right, Number.NEGATIVE_INFINITY);
      const paddedHeight = padInfo.top + inHeight + bottom;
      const paddedWidth = padInfo.left + inWidth + right;
      const count = batch * outHeight * outWidth * channels;
      const taps = filterHeight * filterWidth;

      // 1. Every window's values, tap-major: [taps, count]; the first maximum per column.
      const windows: tf.TensorInfo[] = [];
      for (let tap = 0; tap < taps; tap++) {
        const i = Math.floor(tap / filterWidth);
        const j = tap % filterWidth;
        windows.push(scope.view(stridedWindow(scope, padded, i, j, outHeight, outWidth, strideHeight, strideWidth), [1, count]));
      }
      const stacked = taps === 1 ? windows[0]! : scope.run(tf.Concat, windows as unknown as tf.NamedTensorInfoMap, {axis: 0});
      if (taps > 1) scope.release(...windows);
      const firstMax = scope.run(tf.ArgMax, {x: stacked}, {axis: 0}); // [count], the tap index
      scope.release(stacked);

      // 2. Its flat position in the padded input: window corner + tap offset.
      const rowStride = paddedWidth * channels;
      const position = scope.adopt(scope.backend.makeOutput([count, 1], 'int32'));
      const tapOf = scope.backend.typedArrayFromHeap(firstMax);
      const target = scope.backend.typedArrayFromHeap(position);
      let at = 0;
      for (let b = 0; b < batch; b++) {
        for (let y = 0; y < outHeight; y++) {
          for (let x = 0; x < outWidth; x++) {
            const corner = ((b * paddedHeight + y * strideHeight) * paddedWidth + x * strideWidth) * channels;
            for (let c = 0; c < channels; c++, at++) {
              const tap = tapOf[at]!;
              const i = Math.floor(tap / filterWidth);
              target[at] = corner + i * rowStride + (tap - i * filterWidth) * channels + c;
            }
          }
        }
      }

      // 3. dy summed into those positions, cropped to the unpadded input.
      const paddedSize = batch * paddedHeight * rowStride;
      const dx = scope.run(tf.ScatterNd, {indices: position, updates: scope.view(dy, [count])}, {shape: [paddedSize]});
      return crop2d(scope, scope.view(dx, [batch, paddedHeight, paddedWidth, channels]), padInfo.top, padInfo.left, inHeight, inWidth);
    });
}
