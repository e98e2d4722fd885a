import {poolingLayer, type BasePoolingConfig, type BasePoolingLayer, type Pooling1dOptions} from './base-pooling';

/** Options of {@link averagePooling1d} (Keras `AveragePooling1D` arguments in camelCase). */
export type AveragePooling1dOptions = Pooling1dOptions;

/** The JSON config in a averagePooling1d layer's spec (`trellis/averagePooling1d`); tuples are [length]. */
export type AveragePooling1dConfig = BasePoolingConfig;

/** A averagePooling1d layer with its resolved options. */
export type AveragePooling1dLayer = BasePoolingLayer;

/**
 * The mean over each window of each channel (Keras `AveragePooling1D`, `channels_last` only).
 * No weights.
 *
 * Shapes: `[batch, steps, channels]` → `[batch, steps', channels]`, where per axis `'valid'` gives
 * `⌊(n - poolSize) / strides⌋ + 1` and `'same'` gives `⌈n / strides⌉`. With `'same'` padding, windows
 * at the border average only the input values they cover (padding is not counted), as in Keras and
 * TensorFlow.
 * Non-float32 inputs are cast to float32.
 *
 * `call` returns a new tensor owned by the caller, disposes nothing and runs in its own `tf.tidy`.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options or `dataFormat: 'channelsFirst'`.
 * @throws ShapeError from `build` for an input of another rank or smaller than the window with
 *   `'valid'` padding; from `call` for an input of another shape than the built one.
 */
export function averagePooling1d(options: AveragePooling1dOptions = {}): AveragePooling1dLayer {
  return poolingLayer('averagePooling1d', 1, 'average', options);
}
