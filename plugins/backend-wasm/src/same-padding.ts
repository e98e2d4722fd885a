/**
 * Trellis' wrappers of the wasm forward convolutions (`Conv2D`, `FusedConv2D`,
 * `DepthwiseConv2dNative`, `FusedDepthwiseConv2D`) that fix `'same'` padding.
 *
 * The stock tfjs-backend-wasm 4.22 kernels hand `'same'` to XNNPACK as its
 * TensorFlow-SAME flag, and for a kernel smaller than its stride (a 2×2 kernel
 * at stride 3 or 4, a 3×3 at stride 4) on some input sizes the output is
 * all zeros (relative error 1 against the cpu backend). With the padding
 * tfjs computes for `'same'` passed as explicit amounts the same kernels are
 * right; the wrappers do exactly that and hand everything else to the stock
 * kernel unchanged.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

type KernelArgs = Parameters<tf.KernelFunc>[0];

type ConvAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/**
 * Makes a forward convolution kernel function that passes `'same'` padding to
 * `stock` as explicit amounts.
 *
 * @param stock - the stock wasm kernel function.
 * @param depthwise - whether the kernel is a depthwise convolution (filter `[FH, FW, C, M]`).
 */
export function makeSamePaddingConv(stock: tf.KernelFunc, depthwise: boolean): tf.KernelFunc {
  return (args: KernelArgs) => {
    const attrs = args.attrs as unknown as ConvAttrs;
    const {x, filter} = args.inputs as {x: tf.TensorInfo; filter: tf.TensorInfo};
    if (attrs.pad !== 'same' || (attrs.dataFormat ?? 'NHWC') !== 'NHWC' || x == null || filter == null || x.shape.length !== 4) {
      return stock(args);
    }
    const {padInfo} = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations ?? 1,
      'same',
      attrs.dimRoundingMode,
      depthwise,
    );
    const pad: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [padInfo.top, padInfo.bottom],
      [padInfo.left, padInfo.right],
      [0, 0],
    ];
    return stock({...args, attrs: {...(args.attrs as tf.NamedAttrMap), pad} as unknown as tf.NamedAttrMap});
  };
}
