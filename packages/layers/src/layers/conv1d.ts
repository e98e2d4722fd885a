import {convLayer, type BaseConvConfig, type BaseConvLayer, type ConvOptions} from './base-conv';

/** Options of {@link conv1d} (Keras `Conv1D` arguments in camelCase); `inputShape` is `[steps, channels]`. */
export type Conv1dOptions = ConvOptions<readonly [number]>;

/** The JSON config in a conv1d layer's spec (`trellis/conv1d`). */
export type Conv1dConfig = BaseConvConfig;

/** A conv1d layer: options (tuples normalized to `[length]`) and weights. */
export type Conv1dLayer = BaseConvLayer;

/**
 * A 1-D convolution over `[batch, steps, channels]` inputs (Keras `Conv1D`,
 * `channels_last` only): `activation(conv(x, kernel) + bias)`.
 *
 * Weights: `kernel` `[kernelSize, inputChannels, filters]` and, with `useBias`,
 * `bias` `[filters]`, float32, owned by the model. Defaults as in Keras: strides 1,
 * padding `'valid'`, dilation 1, no activation, bias on, `glorotUniform()` kernel,
 * `zeros()` bias. Keras' `'causal'` padding is not supported.
 *
 * Shapes: `[batch, steps, c]` → `[batch, steps', filters]` with the output length of
 * {@link conv2d}. `call` returns a new tensor owned by the caller, disposes nothing
 * and runs in its own `tf.tidy`.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options, `groups` other than 1, `'channelsFirst'`.
 * @throws ShapeError from `build` for an input that is not `[steps, channels]` or
 *   shorter than the (dilated) kernel with `'valid'` padding; from `call` for another
 *   channel count.
 */
export function conv1d(options: Conv1dOptions): Conv1dLayer {
  return convLayer('conv1d', 1, options);
}
