import {convLayer, type BaseConvConfig, type BaseConvLayer, type ConvOptions} from './base-conv';

/**
 * Options of {@link conv2d} (Keras `Conv2D` arguments in camelCase). `kernelSize`,
 * `strides` and `dilationRate` take one integer for both axes or `[height, width]`;
 * `inputShape` is `[height, width, channels]`.
 */
export type Conv2dOptions = ConvOptions<readonly [number, number]>;

/** The JSON config in a conv2d layer's spec (`trellis/conv2d`). */
export type Conv2dConfig = BaseConvConfig;

/** A conv2d layer: options (tuples normalized to `[height, width]`) and weights. */
export type Conv2dLayer = BaseConvLayer;

/**
 * A 2-D convolution over `[batch, height, width, channels]` inputs
 * (Keras `Conv2D`, `channels_last` only): `activation(conv(x, kernel) + bias)`.
 *
 * Weights: `kernel` `[kernelHeight, kernelWidth, inputChannels, filters]` and,
 * with `useBias`, `bias` `[filters]`, float32, created through the model's build
 * context (the model owns and disposes them). Defaults as in Keras: strides 1,
 * padding `'valid'`, dilation 1, no activation, bias on, `glorotUniform()` kernel,
 * `zeros()` bias.
 *
 * Shapes: `[batch, h, w, c]` → `[batch, h', w', filters]` where, per axis, `'valid'`
 * gives `⌊(n - (k-1)·d - 1) / s⌋ + 1` and `'same'` gives `⌈n / s⌉` (TensorFlow's
 * padding: the odd pixel goes at the end). Non-float32 inputs are cast to float32.
 *
 * `call` returns a new tensor owned by the caller, disposes nothing and runs in its
 * own `tf.tidy`. Dilated kernels are expanded with zeros and run as an undilated
 * convolution, because tfjs-core has no gradient for dilated convolutions.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options, `groups` other than 1 (not supported),
 *   `dataFormat: 'channelsFirst'`, or strides and dilation both above 1.
 * @throws ShapeError from `build` for an input that is not `[h, w, c]` or smaller than
 *   the (dilated) kernel with `'valid'` padding; from `call` for another channel count.
 *
 * @example
 * const layer = conv2d({filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1]});
 */
export function conv2d(options: Conv2dOptions): Conv2dLayer {
  return convLayer('conv2d', 2, options);
}
