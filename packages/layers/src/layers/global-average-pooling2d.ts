import type {BaseGlobalPoolingConfig, BaseGlobalPoolingLayer, BaseGlobalPoolingOptions} from './base-global-pooling';
import {globalPoolingFactory} from './base-global-pooling';

/** Options of {@link globalAveragePooling2d} (Keras `GlobalAveragePooling2D` arguments in camelCase). */
export type GlobalAveragePooling2dOptions = BaseGlobalPoolingOptions;

/** The JSON config in a globalAveragePooling2d layer's spec (`trellis/globalAveragePooling2d`). */
export type GlobalAveragePooling2dConfig = BaseGlobalPoolingConfig;

/** A globalAveragePooling2d layer with its resolved options. */
export type GlobalAveragePooling2dLayer = BaseGlobalPoolingLayer;

/**
 * The mean of each channel over every spatial position (Keras `GlobalAveragePooling2D`,
 * `channels_last` only). No weights.
 *
 * Shapes: `[batch, height, width, channels]` → `[batch, channels]`, or `[batch, 1, 1, channels]` with
 * `keepdims: true`.
 * Non-float32 inputs are cast to float32. `call` returns a new tensor owned by the caller,
 * disposes nothing and runs in its own `tf.tidy`.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options or `dataFormat: 'channelsFirst'`.
 * @throws ShapeError from `build` for an input of another rank; from `call` for an input of
 *   another shape than the built one.
 */
export const globalAveragePooling2d: (options?: GlobalAveragePooling2dOptions) => GlobalAveragePooling2dLayer =
  /* @__PURE__ */ globalPoolingFactory('globalAveragePooling2d', 2, 'average');
