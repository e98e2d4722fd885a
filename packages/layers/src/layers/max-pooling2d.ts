import {poolingLayer, type BasePoolingConfig, type BasePoolingLayer, type Pooling2dOptions} from './base-pooling';

/** Options of {@link maxPooling2d} (Keras `MaxPooling2D` arguments in camelCase). */
export type MaxPooling2dOptions = Pooling2dOptions;

/** The JSON config in a maxPooling2d layer's spec (`trellis/maxPooling2d`); tuples are [height, width]. */
export type MaxPooling2dConfig = BasePoolingConfig;

/** A maxPooling2d layer with its resolved options. */
export type MaxPooling2dLayer = BasePoolingLayer;

/**
 * The maximum over each window of each channel (Keras `MaxPooling2D`, `channels_last` only).
 * No weights.
 *
 * Shapes: `[batch, height, width, channels]` → `[batch, h', w', channels]`, where per axis `'valid'` gives
 * `⌊(n - poolSize) / strides⌋ + 1` and `'same'` gives `⌈n / strides⌉`. With `'same'` padding, the
 * border is padded with -∞. The gradient goes to the maximum of each window.
 * Non-float32 inputs are cast to float32.
 *
 * `call` returns a new tensor owned by the caller, disposes nothing and runs in its own `tf.tidy`.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options or `dataFormat: 'channelsFirst'`.
 * @throws ShapeError from `build` for an input of another rank or smaller than the window with
 *   `'valid'` padding; from `call` for an input of another shape than the built one.
 */
export function maxPooling2d(options: MaxPooling2dOptions = {}): MaxPooling2dLayer {
  return poolingLayer('maxPooling2d', 2, 'max', options);
}
