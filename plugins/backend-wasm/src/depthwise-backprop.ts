/**
 * Trellis' `DepthwiseConv2dNativeBackpropInput` and
 * `DepthwiseConv2dNativeBackpropFilter` kernels for the tfjs `wasm` backend,
 * which tfjs-backend-wasm 4.22 lacks (the gradients of `depthwiseConv2d` and
 * `separableConv2d`).
 *
 * With `x: [B, H, W, C]`, `filter: [FH, FW, C, M]` and `dy: [B, OH, OW, C·M]`
 * (output channel `c·M + m`):
 *
 * - **input gradient:** a depthwise convolution (wasm `DepthwiseConv2dNative`,
 *   XNNPACK) of `dy` with zeros inserted between rows and columns, by the
 *   filter rotated by 180° and seen as `[FH, FW, C·M, 1]`, padded by
 *   `(FH − 1)·dilation − padTop`; for `M > 1` the `M` channels of each input
 *   channel are then summed.
 * - **filter gradient:** for each filter tap `(i, j)`, the strided window of
 *   the padded input it met (`StridedSlice`) times `dy`, summed over batch and
 *   positions (`Multiply`, `Sum`); the `FH·FW` results are concatenated.
 *
 * Intermediates are released before the kernel returns.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {BackendError} from '@trellis/core';
import {crop2d, insertZeros, pad2d, runInScope, stridedWindow} from './kernel-scope';

type KernelArgs = Parameters<tf.KernelFunc>[0];

type DepthwiseGradAttrs = {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/**
 * Makes the `DepthwiseConv2dNativeBackpropInput` kernel function (inputs `dy`,
 * `filter`; attrs `strides`, `dilations`, `pad`, `dimRoundingMode`,
 * `inputShape`). Returns a new float32 tensor of `inputShape`.
 */
export function makeDepthwiseBackpropInput(): tf.KernelFunc {
  return (args: KernelArgs) =>
    runInScope(args, (scope) => {
      const {dy, filter} = args.inputs as {dy: tf.TensorInfo; filter: tf.TensorInfo};
      const {strides, dilations, pad, dimRoundingMode, inputShape} = args.attrs as unknown as DepthwiseGradAttrs & {
        inputShape: [number, number, number, number];
      };
      const filterShape = filter.shape as [number, number, number, number];
      const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, strides, dilations ?? 1, pad, dimRoundingMode, true);
      const [batch, inHeight, inWidth, channels] = inputShape;
      const [filterHeight, filterWidth, , multiplier] = filterShape;
      const {
        outHeight,
        outWidth,
        strideHeight,
        strideWidth,
        dilationHeight,
        dilationWidth,
        effectiveFilterHeight,
        effectiveFilterWidth,
        padInfo,
      } = info;
      const top = effectiveFilterHeight - 1 - padInfo.top;
      const left = effectiveFilterWidth - 1 - padInfo.left;
      if (top < 0 || left < 0) {
        throw new BackendError(
          `DepthwiseConv2dNativeBackpropInput (wasm): explicit padding (top ${padInfo.top}, left ${padInfo.left}) wider than ` +
            `the dilated filter (${effectiveFilterHeight}×${effectiveFilterWidth}) is not supported; ` +
            `pad the input with tf.pad before the convolution instead.`,
        );
      }
      if (tf.util.sizeFromShape(dy.shape) === 0 || tf.util.sizeFromShape(filterShape) === 0) {
        return scope.run(tf.Fill, {}, {shape: inputShape, value: 0, dtype: 'float32'});
      }
      const spread = insertZeros(scope, dy, strideHeight, strideWidth); // [B, OH·s, OW·s, C·M]
      const flipped = scope.run(tf.Reverse, {x: filter}, {dims: [0, 1]});
      const kernel = scope.view(flipped, [filterHeight, filterWidth, channels * multiplier, 1]);
      const bottom = inHeight + effectiveFilterHeight - 1 - outHeight * strideHeight - top;
      const right = inWidth + effectiveFilterWidth - 1 - outWidth * strideWidth - left;
      const full = scope.run(
        tf.DepthwiseConv2dNative,
        {x: spread, filter: kernel},
        {
          strides: [1, 1],
          dilations: [dilationHeight, dilationWidth],
          pad: [
            [0, 0],
            [top, Math.max(0, bottom)],
            [left, Math.max(0, right)],
            [0, 0],
          ],
        },
      );
      const dx = crop2d(scope, full, 0, 0, inHeight, inWidth); // [B, H, W, C·M]
      if (multiplier === 1) return dx;
      return scope.run(tf.Sum, {x: scope.view(dx, [batch, inHeight, inWidth, channels, multiplier])}, {axis: [4], keepDims: false});
    });
}

/**
 * Makes the `DepthwiseConv2dNativeBackpropFilter` kernel function (inputs `x`,
 * `dy`; attrs `strides`, `dilations`, `pad`, `dimRoundingMode`,
 * `filterShape`). Returns a new float32 tensor of `filterShape`.
 */
export function makeDepthwiseBackpropFilter(): tf.KernelFunc {
  return (args: KernelArgs) =>
    runInScope(args, (scope) => {
      const {x, dy} = args.inputs as {x: tf.TensorInfo; dy: tf.TensorInfo};
      const {strides, dilations, pad, dimRoundingMode, filterShape} = args.attrs as unknown as DepthwiseGradAttrs & {
        filterShape: [number, number, number, number];
      };
      const xShape = x.shape as [number, number, number, number];
      const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations ?? 1, pad, dimRoundingMode, true);
      const [batch, inHeight, inWidth, channels] = xShape;
      const [filterHeight, filterWidth, , multiplier] = filterShape;
      const {
        outHeight,
        outWidth,
        strideHeight,
        strideWidth,
        dilationHeight,
        dilationWidth,
        effectiveFilterHeight,
        effectiveFilterWidth,
        padInfo,
      } = info;
      if (tf.util.sizeFromShape(xShape) === 0 || tf.util.sizeFromShape(dy.shape) === 0) {
        return scope.run(tf.Fill, {}, {shape: filterShape, value: 0, dtype: 'float32'});
      }
      const rows = effectiveFilterHeight + (outHeight - 1) * strideHeight;
      const cols = effectiveFilterWidth + (outWidth - 1) * strideWidth;
      const padded = pad2d(
        scope,
        x,
        padInfo.top,
        Math.max(0, rows - padInfo.top - inHeight),
        padInfo.left,
        Math.max(0, cols - padInfo.left - inWidth),
      );
      const grads = scope.view(dy, [batch, outHeight, outWidth, channels, multiplier]);
      const taps: tf.TensorInfo[] = [];
      for (let i = 0; i < filterHeight; i++) {
        for (let j = 0; j < filterWidth; j++) {
          const window = stridedWindow(
            scope,
            padded,
            i * dilationHeight,
            j * dilationWidth,
            outHeight,
            outWidth,
            strideHeight,
            strideWidth,
          );
          const product = scope.run(tf.Multiply, {a: scope.view(window, [batch, outHeight, outWidth, channels, 1]), b: grads});
          scope.release(window);
          const tap = scope.run(tf.Sum, {x: product}, {axis: [0, 1, 2], keepDims: false}); // [C, M]
          scope.release(product);
          taps.push(scope.view(tap, [1, channels, multiplier]));
        }
      }
      const all = taps.length === 1 ? taps[0]! : scope.run(tf.Concat, taps as unknown as tf.NamedTensorInfoMap, {axis: 0});
      return scope.view(all, filterShape);
    });
}
