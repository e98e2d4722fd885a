import {poolingLayer, type BasePoolingConfig, type BasePoolingLayer, type Pooling1dOptions} from './base-pooling';

/** Options of {@link maxPooling1d} (Keras `MaxPooling1D` arguments in camelCase). */
export type MaxPooling1dOptions = Pooling1dOptions;

/** The JSON config in a maxPooling1d layer's spec (`trellis/maxPooling1d`); tuples are [length]. */
export type MaxPooling1dConfig = BasePoolingConfig;

/** A maxPooling1d layer with its resolved options. */
export type MaxPooling1dLayer = BasePoolingLayer;

/**
 * The maximum over each window of each channel (Keras `MaxPooling1D`, `channels_last` only).
 * No weights.
 *
 * Shapes: `[batch, steps, channels]` → `[batch, steps', channels]`, where per axis `'valid'` gives
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
export function maxPooling1d(options: MaxPooling1dOptions = {}): MaxPooling1dLayer {
  return poolingLayer('maxPooling1d', 1, 'max', options);
}
