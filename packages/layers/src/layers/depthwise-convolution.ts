import * as tf from '@tensorflow/tfjs-core';
import {asFloat32, convPadding, dilateKernel, type ConvWindow} from './conv-common';

/**
 * The depthwise step of `depthwiseConv2d` and `separableConv2d`: `input` cast
 * to float32, convolved channel by channel with `kernel` `[kh, kw, channels,
 * depthMultiplier]` over `window` (a dilated kernel is expanded with zeros,
 * `'same'` padding given to tfjs-core explicitly). Call it inside a `tf.tidy`.
 */
export function depthwiseConvolve(input: tf.Tensor, kernel: tf.Variable, window: ConvWindow): tf.Tensor4D {
  const x = asFloat32(input) as tf.Tensor4D;
  const k = dilateKernel(kernel, window.dilationRate) as tf.Tensor4D;
  const pad = convPadding(window.padding, x.shape.slice(1, 3), k.shape.slice(0, 2), window.strides);
  return tf.depthwiseConv2d(x, k, window.strides as [number, number], pad);
}
