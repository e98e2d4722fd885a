/**
 * Trellis' `Conv2DBackpropFilter` and `Conv2DBackpropInput` kernels for the
 * tfjs `wasm` backend, written as forward convolutions or one matrix product
 * on XNNPACK.
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
 *   With few input channels it is instead one product of the transposed
 *   im2col matrix of `x` (written straight into the wasm heap) and `dy`.
 * - **input gradient** is the convolution of `dy` with zeros inserted between
 *   its rows and columns (stride − 1 of them) with the filter rotated by 180°
 *   and its channel axes swapped, padded by `FH − 1 − padTop`.
 *
 * Everything runs through the backend's own `Conv2D`, `BatchMatMul`
 * (XNNPACK), `Transpose`, `Reverse` and `PadV2` kernels; intermediates are released
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
 * The transposed im2col matrix of `x` (`[B, H, W, ci]`) for the windows of a
 * convolution: row `(i·FW + j)·ci + c` holds, for every output position
 * `(b, y, x)` in row-major order, `x[b, y·sH + i − padTop, x·sW + j − padLeft, c]`
 * (0 in the padding). A new `[FH·FW·ci, B·OH·OW]` float32 tensor of the scope,
 * written straight into the wasm heap.
 */
function windowColumns(scope: KernelScope, x: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const {batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, padInfo} =
    info;
  const positions = batchSize * outHeight * outWidth;
  const columns = scope.adopt(scope.backend.makeOutput([filterHeight * filterWidth * inChannels, positions], 'float32'));
  // Views are taken after the allocation, which may grow (and detach) the heap.
  const source = scope.backend.typedArrayFromHeap(x);
  const target = scope.backend.typedArrayFromHeap(columns);
  for (let i = 0; i < filterHeight; i++) {
    for (let j = 0; j < filterWidth; j++) {
      const first = (i * filterWidth + j) * inChannels * positions;
      // Output columns x whose input column x·sW + j − padLeft lies inside the image: [xFrom, xTo).
      const xFrom = Math.min(outWidth, Math.max(0, Math.ceil((padInfo.left - j) / strideWidth)));
      const xTo = Math.max(xFrom, Math.min(outWidth, Math.ceil((inWidth + padInfo.left - j) / strideWidth)));
      for (let b = 0, at = first; b < batchSize; b++) {
        for (let y = 0; y < outHeight; y++, at += outWidth) {
          const row = y * strideHeight + i - padInfo.top;
          if (row < 0 || row >= inHeight) {
            for (let c = 0; c < inChannels; c++) target.fill(0, at + c * positions, at + c * positions + outWidth);
            continue;
          }
          if (xFrom > 0 || xTo < outWidth) {
            for (let c = 0; c < inChannels; c++) {
              const rowStart = at + c * positions;
              target.fill(0, rowStart, rowStart + xFrom);
              target.fill(0, rowStart + xTo, rowStart + outWidth);
            }
          }
          // One image row (W·ci values) is read once per channel while it sits in the cache; each
          // channel's output run is contiguous.
          const step = strideWidth * inChannels;
          const first = ((b * inHeight + row) * inWidth + xFrom * strideWidth + j - padInfo.left) * inChannels;
          for (let c = 0; c < inChannels; c++) {
            const to = at + c * positions;
            for (let xo = xFrom, from = first + c; xo < xTo; xo++, from += step) target[to + xo] = source[from]!;
          }
        }
      }
    }
  }
  return columns;
}

/** Input channel counts up to which the filter gradient is an im2col product (above: a transposed convolution). */
const IM2COL_MAX_CHANNELS = 4;

/**
 * `dW` as one plain product: the transposed im2col matrix of `x`
 * (`[FH·FW·ci, B·OH·OW]`, {@link windowColumns}) times `dy` seen as
 * `[B·OH·OW, co]`, on XNNPACK through the backend's `BatchMatMul`; its
 * `[FH·FW·ci, co]` result is already the filter's layout.
 */
function im2colFilterGrad(
  scope: KernelScope,
  xs: tf.TensorInfo,
  dys: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  filterShape: [number, number, number, number],
): tf.TensorInfo {
  const columns = windowColumns(scope, xs, info);
  const [rows, positions] = columns.shape as [number, number];
  const grad = scope.run(
    tf.BatchMatMul,
    {a: scope.view(columns, [1, rows, positions]), b: scope.view(dys, [1, positions, filterShape[3]])},
    {transposeA: false, transposeB: false},
  );
  return scope.view(grad, filterShape);
}

/**
 * `dW` as a convolution of `x` seen as `[ci, H, W, b]` with `dy` seen as the
 * filter `[OH, OW, b, co]`, at stride 1 and dilation `s` with the forward
 * pass' padding; its `[ci, FH, FW, co]` output is transposed to the filter's
 * layout.
 */
function convolutionFilterGrad(scope: KernelScope, xs: tf.TensorInfo, dys: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const {inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, padInfo} = info;
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
}

/**
 * Makes the `Conv2DBackpropFilter` kernel function (inputs `x`, `dy`; attrs
 * `strides`, `pad`, `dataFormat`, `dimRoundingMode`, `filterShape`). Returns a
 * new float32 `[FH, FW, inChannels, outChannels]` tensor owned by the engine.
 *
 * Up to {@link IM2COL_MAX_CHANNELS} input channels (the first convolution of
 * an image model) the im2col product is the faster, by 1.2–1.7× (the
 * transposed convolution then has a huge filter and a tiny output); with many
 * channels the transposed convolution is (the same product, but XNNPACK
 * packs a convolution's filter faster than a matrix product's operand).
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
      if (tf.util.sizeFromShape(xs.shape) === 0 || tf.util.sizeFromShape(dys.shape) === 0) {
        return scope.run(tf.Fill, {}, {shape: filterShape, value: 0, dtype: 'float32'});
      }
      return info.inChannels <= IM2COL_MAX_CHANNELS
        ? im2colFilterGrad(scope, xs, dys, info, filterShape)
        : convolutionFilterGrad(scope, xs, dys, info);
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
