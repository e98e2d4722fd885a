import {poolingLayer, type BasePoolingConfig, type BasePoolingLayer, type Pooling2dOptions} from './base-pooling';

/** Options of {@link averagePooling2d} (Keras `AveragePooling2D` arguments in camelCase). */
export type AveragePooling2dOptions = Pooling2dOptions;

/** The JSON config in a averagePooling2d layer's spec (`trellis/averagePooling2d`); tuples are [height, width]. */
export type AveragePooling2dConfig = BasePoolingConfig;

/** A averagePooling2d layer with its resolved options. */
export type AveragePooling2dLayer = BasePoolingLayer;

/**
 * The mean over each window of each channel (Keras `AveragePooling2D`, `channels_last` only).
 * No weights.
 *
 * Shapes: `[batch, height, width, channels]` → `[batch, h', w', channels]`, where per axis `'valid'` gives
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
export function averagePooling2d(options: AveragePooling2dOptions = {}): AveragePooling2dLayer {
  return poolingLayer('averagePooling2d', 2, 'average', options);
}
