/**
 * Trellis' `Conv2DBackpropFilter` and `Conv2DBackpropInput` kernels for the
 * tfjs `wasm` backend, written as forward convolutions on XNNPACK.
 *
 * tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter` at all (the weight
 * gradient of every `conv2d`, `conv1d` and `conv2dTranspose`), and its
 * `Conv2DBackpropInput` is a scalar loop. Both gradients are convolutions
 * themselves:
 *
 * - **filter gradient** `dW[i, j, ci, co] = Σ_{b, y, x} xPadded[b, y·s + i, x·s + j, ci] · dy[b, y, x, co]`
 *   is a convolution of `x` seen as `[ci, H, W, b]` (channels become the
 *   batch, the batch becomes the channels) with `dy` seen as the filter
 *   `[OH, OW, b, co]`, at stride 1 and dilation `s`, with the forward pass'
 *   padding; its `[ci, FH, FW, co]` output is transposed to `[FH, FW, ci, co]`.
 * - **input gradient** is the convolution of `dy` with zeros inserted between
 *   its rows and columns (stride − 1 of them) with the filter rotated by 180°
 *   and its channel axes swapped, padded by `FH − 1 − padTop`.
 *
 * Everything runs through the backend's own `Conv2D` (XNNPACK), `Transpose`,
 * `Reverse`, `PadV2` and `StridedSlice` kernels; intermediates are released
 * before the kernel returns.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {crop2d, insertZeros, runInScope, type KernelScope} from './kernel-scope';

type KernelArgs = Parameters<tf.KernelFunc>[0];

type ConvGradAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/** `NCHW` → `NHWC` (a new tensor) or `x` itself. */
function toChannelsLast(scope: KernelScope, x: tf.TensorInfo, dataFormat: string | undefined): tf.TensorInfo {
  return dataFormat === 'NCHW' ? scope.run(tf.Transpose, {x}, {perm: [0, 2, 3, 1]}) : x;
}

/**
 * A stride-1 wasm `Conv2D` with explicit, non-negative padding, cropped to
 * `[B, height, width, C]` (the padding may make it taller or wider).
 */
export function paddedConv(
  scope: KernelScope,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  dilations: [number, number],
  pads: {top: number; bottom: number; left: number; right: number},
  height: number,
  width: number,
): tf.TensorInfo {
  const out = scope.run(
    tf.Conv2D,
    {x, filter},
    {
      strides: [1, 1],
      dilations,
      pad: [
        [0, 0],
        [pads.top, Math.max(0, pads.bottom)],
        [pads.left, Math.max(0, pads.right)],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    },
  );
  return crop2d(scope, out, 0, 0, height, width);
}

/**
 * Makes the `Conv2DBackpropFilter` kernel function (inputs `x`, `dy`; attrs
 * `strides`, `pad`, `dataFormat`, `dimRoundingMode`, `filterShape`). Returns a
 * new float32 `[FH, FW, inChannels, outChannels]` tensor owned by the engine.
 */
export function makeConv2DBackpropFilter(): tf.KernelFunc {
  return (args: KernelArgs) =>
    runInScope(args, (scope) => {
      const {x, dy} = args.inputs as {x: tf.TensorInfo; dy: tf.TensorInfo};
      const {strides, pad, dataFormat, dimRoundingMode, filterShape} = args.attrs as unknown as ConvGradAttrs & {
        filterShape: [number, number, number, number];
      };
      const xs = toChannelsLast(scope, x, dataFormat);
      const dys = toChannelsLast(scope, dy, dataFormat);
      const info = tf.backend_util.computeConv2DInfo(
        xs.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
      );
      const {inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, padInfo} = info;
      if (tf.util.sizeFromShape(xs.shape) === 0 || tf.util.sizeFromShape(dys.shape) === 0) {
        return scope.run(tf.Fill, {}, {shape: filterShape, value: 0, dtype: 'float32'});
      }
      // Rows (columns) of the padded input the forward windows touch.
      const rows = filterHeight + (outHeight - 1) * strideHeight;
      const cols = filterWidth + (outWidth - 1) * strideWidth;
      const images = scope.run(tf.Transpose, {x: xs}, {perm: [3, 1, 2, 0]}); // [ci, H, W, b]
      const kernel = scope.run(tf.Transpose, {x: dys}, {perm: [1, 2, 0, 3]}); // [OH, OW, b, co]
      const pads = {
        top: padInfo.top,
        bottom: rows - padInfo.top - inHeight,
        left: padInfo.left,
        right: cols - padInfo.left - inWidth,
      };
      const grad = paddedConv(scope, images, kernel, [strideHeight, strideWidth], pads, filterHeight, filterWidth); // [ci, FH, FW, co]
      return scope.run(tf.Transpose, {x: grad}, {perm: [1, 2, 0, 3]});
    });
}

/**
 * Makes the `Conv2DBackpropInput` kernel function (inputs `dy`, `filter`;
 * attrs `strides`, `pad`, `dataFormat`, `dimRoundingMode`, `inputShape`).
 * `NCHW` data and paddings wider than the filter go to the stock kernel.
 *
 * @param stock - the stock wasm `Conv2DBackpropInput` kernel function.
 */
export function makeConv2DBackpropInput(stock: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const {dy, filter} = args.inputs as {dy: tf.TensorInfo; filter: tf.TensorInfo};
    const {strides, pad, dataFormat, dimRoundingMode, inputShape} = args.attrs as unknown as ConvGradAttrs & {
      inputShape: [number, number, number, number];
    };
    if (dataFormat === 'NCHW' || dy.dtype !== 'float32' || filter.dtype !== 'float32') return stock(args);
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const {inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, padInfo} = info;
    const top = filterHeight - 1 - padInfo.top;
    const left = filterWidth - 1 - padInfo.left;
    if (top < 0 || left < 0 || tf.util.sizeFromShape(dy.shape) === 0 || tf.util.sizeFromShape(filter.shape) === 0) {
      return stock(args);
    }
    return runInScope(args, (scope) => {
      const spread = insertZeros(scope, dy, strideHeight, strideWidth); // [b, OH·s, OW·s, co]
      const flipped = scope.run(tf.Reverse, {x: filter}, {dims: [0, 1]});
      const kernel = scope.run(tf.Transpose, {x: flipped}, {perm: [0, 1, 3, 2]}); // [FH, FW, co, ci]
      const pads = {
        top,
        bottom: inHeight + filterHeight - 1 - outHeight * strideHeight - top,
        left,
        right: inWidth + filterWidth - 1 - outWidth * strideWidth - left,
      };
      return paddedConv(scope, spread, kernel, [1, 1], pads, inHeight, inWidth);
    });
  };
}
