import type {BaseGlobalPoolingConfig, BaseGlobalPoolingLayer, BaseGlobalPoolingOptions} from './base-global-pooling';
import {globalPoolingFactory} from './base-global-pooling';

/** Options of {@link globalAveragePooling1d} (Keras `GlobalAveragePooling1D` arguments in camelCase). */
export type GlobalAveragePooling1dOptions = BaseGlobalPoolingOptions;

/** The JSON config in a globalAveragePooling1d layer's spec (`trellis/globalAveragePooling1d`). */
export type GlobalAveragePooling1dConfig = BaseGlobalPoolingConfig;

/** A globalAveragePooling1d layer with its resolved options. */
export type GlobalAveragePooling1dLayer = BaseGlobalPoolingLayer;

/**
 * The mean of each channel over every spatial position (Keras `GlobalAveragePooling1D`,
 * `channels_last` only). No weights.
 *
 * Shapes: `[batch, steps, channels]` → `[batch, channels]`, or `[batch, 1, channels]` with `keepdims: true`.
 * Non-float32 inputs are cast to float32. `call` returns a new tensor owned by the caller,
 * disposes nothing and runs in its own `tf.tidy`.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options or `dataFormat: 'channelsFirst'`.
 * @throws ShapeError from `build` for an input of another rank; from `call` for an input of
 *   another shape than the built one.
 */
export const globalAveragePooling1d: (options?: GlobalAveragePooling1dOptions) => GlobalAveragePooling1dLayer =
  /* @__PURE__ */ globalPoolingFactory('globalAveragePooling1d', 1, 'average');
