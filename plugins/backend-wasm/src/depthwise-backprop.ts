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
import {crop2d, insertZeros, pad2d, runInScope, stridedWindow, type KernelScope} from './kernel-scope';

type Shape4 = [number, number, number, number];

type DepthwiseGradAttrs = {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/** The shapes of a depthwise convolution of `x` by `filter` and its window geometry (`computeConv2DInfo`), named for the gradients. */
function depthwiseGeometry(xShape: Shape4, filterShape: Shape4, {strides, dilations, pad, dimRoundingMode}: DepthwiseGradAttrs) {
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations ?? 1, pad, dimRoundingMode, true);
  const [batch, inHeight, inWidth, channels] = xShape;
  const [filterHeight, filterWidth, , multiplier] = filterShape;
  return {...info, batch, inHeight, inWidth, channels, filterHeight, filterWidth, multiplier};
}

/**
 * A depthwise gradient kernel function: `body` runs in a kernel scope on the
 * call's inputs (named `I`) and attrs (with the output shape under `S`).
 */
function depthwiseGradKernel<I extends string, S extends string>(
  body: (scope: KernelScope, inputs: Record<I, tf.TensorInfo>, attrs: DepthwiseGradAttrs & Record<S, Shape4>) => tf.TensorInfo,
): tf.KernelFunc {
  return (args) =>
    runInScope(args, (scope) =>
      body(scope, args.inputs as Record<I, tf.TensorInfo>, args.attrs as unknown as DepthwiseGradAttrs & Record<S, Shape4>),
    );
}

/** A new float32 tensor of `shape` holding zeros (the gradient when a side is empty). */
const zeros = (scope: KernelScope, shape: Shape4) => scope.run(tf.Fill, {}, {shape, value: 0, dtype: 'float32'});

/**
 * Makes the `DepthwiseConv2dNativeBackpropInput` kernel function (inputs `dy`,
 * `filter`; attrs `strides`, `dilations`, `pad`, `dimRoundingMode`,
 * `inputShape`). Returns a new float32 tensor of `inputShape`.
 */
export function makeDepthwiseBackpropInput(): tf.KernelFunc {
  return depthwiseGradKernel<'dy' | 'filter', 'inputShape'>((scope, {dy, filter}, attrs) => {
    const filterShape = filter.shape as Shape4;
    const g = depthwiseGeometry(attrs.inputShape, filterShape, attrs);
    const top = g.effectiveFilterHeight - 1 - g.padInfo.top;
    const left = g.effectiveFilterWidth - 1 - g.padInfo.left;
    if (top < 0 || left < 0) {
      throw new BackendError(
        `DepthwiseConv2dNativeBackpropInput (wasm): explicit padding (top ${g.padInfo.top}, left ${g.padInfo.left}) wider than ` +
          `the dilated filter (${g.effectiveFilterHeight}×${g.effectiveFilterWidth}) is not supported; ` +
          `pad the input with tf.pad before the convolution instead.`,
      );
    }
    if (tf.util.sizeFromShape(dy.shape) === 0 || tf.util.sizeFromShape(filterShape) === 0) {
      return zeros(scope, attrs.inputShape);
    }
    const spread = insertZeros(scope, dy, g.strideHeight, g.strideWidth); // [B, OH·s, OW·s, C·M]
    const flipped = scope.run(tf.Reverse, {x: filter}, {dims: [0, 1]});
    const kernel = scope.view(flipped, [g.filterHeight, g.filterWidth, g.channels * g.multiplier, 1]);
    const bottom = g.inHeight + g.effectiveFilterHeight - 1 - g.outHeight * g.strideHeight - top;
    const right = g.inWidth + g.effectiveFilterWidth - 1 - g.outWidth * g.strideWidth - left;
    const full = scope.run(
      tf.DepthwiseConv2dNative,
      {x: spread, filter: kernel},
      {
        strides: [1, 1],
        dilations: [g.dilationHeight, g.dilationWidth],
        pad: [
          [0, 0],
          [top, Math.max(0, bottom)],
          [left, Math.max(0, right)],
          [0, 0],
        ],
      },
    );
    const dx = crop2d(scope, full, 0, 0, g.inHeight, g.inWidth); // [B, H, W, C·M]
    if (g.multiplier === 1) return dx;
    return scope.run(tf.Sum, {x: scope.view(dx, [g.batch, g.inHeight, g.inWidth, g.channels, g.multiplier])}, {axis: [4], keepDims: false});
  });
}

/**
 * Makes the `DepthwiseConv2dNativeBackpropFilter` kernel function (inputs `x`,
 * `dy`; attrs `strides`, `dilations`, `pad`, `dimRoundingMode`,
 * `filterShape`). Returns a new float32 tensor of `filterShape`.
 */
export function makeDepthwiseBackpropFilter(): tf.KernelFunc {
  return depthwiseGradKernel<'x' | 'dy', 'filterShape'>((scope, {x, dy}, attrs) => {
    const xShape = x.shape as Shape4;
    const g = depthwiseGeometry(xShape, attrs.filterShape, attrs);
    if (tf.util.sizeFromShape(xShape) === 0 || tf.util.sizeFromShape(dy.shape) === 0) {
      return zeros(scope, attrs.filterShape);
    }
    const rows = g.effectiveFilterHeight + (g.outHeight - 1) * g.strideHeight;
    const cols = g.effectiveFilterWidth + (g.outWidth - 1) * g.strideWidth;
    const padded = pad2d(
      scope,
      x,
      g.padInfo.top,
      Math.max(0, rows - g.padInfo.top - g.inHeight),
      g.padInfo.left,
      Math.max(0, cols - g.padInfo.left - g.inWidth),
    );
    const grads = scope.view(dy, [g.batch, g.outHeight, g.outWidth, g.channels, g.multiplier]);
    const taps: tf.TensorInfo[] = [];
    for (let i = 0; i < g.filterHeight; i++) {
      for (let j = 0; j < g.filterWidth; j++) {
        const window = stridedWindow(
          scope,
          padded,
          i * g.dilationHeight,
          j * g.dilationWidth,
          g.outHeight,
          g.outWidth,
          g.strideHeight,
          g.strideWidth,
        );
        const product = scope.run(tf.Multiply, {a: scope.view(window, [g.batch, g.outHeight, g.outWidth, g.channels, 1]), b: grads});
        scope.release(window);
        const tap = scope.run(tf.Sum, {x: product}, {axis: [0, 1, 2], keepDims: false}); // [C, M]
        scope.release(product);
        taps.push(scope.view(tap, [1, g.channels, g.multiplier]));
      }
    }
    const all = taps.length === 1 ? taps[0]! : scope.run(tf.Concat, taps as unknown as tf.NamedTensorInfoMap, {axis: 0});
    return scope.view(all, attrs.filterShape);
  });
}
