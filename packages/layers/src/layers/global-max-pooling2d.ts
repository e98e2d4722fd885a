import type {BaseGlobalPoolingConfig, BaseGlobalPoolingLayer, BaseGlobalPoolingOptions} from './base-global-pooling';
import {globalPoolingFactory} from './base-global-pooling';

/** Options of {@link globalMaxPooling2d} (Keras `GlobalMaxPooling2D` arguments in camelCase). */
export type GlobalMaxPooling2dOptions = BaseGlobalPoolingOptions;

/** The JSON config in a globalMaxPooling2d layer's spec (`trellis/globalMaxPooling2d`). */
export type GlobalMaxPooling2dConfig = BaseGlobalPoolingConfig;

/** A globalMaxPooling2d layer with its resolved options. */
export type GlobalMaxPooling2dLayer = BaseGlobalPoolingLayer;

/**
 * The maximum of each channel over every spatial position (Keras `GlobalMaxPooling2D`,
 * `channels_last` only). No weights.
 *
 * Shapes: `[batch, height, width, channels]` → `[batch, channels]`, or `[batch, 1, 1, channels]` with
 * `keepdims: true`. The gradient goes to the maximum of each channel; on exact ties every tied element
 * receives it in full (tfjs-core's rule), where Keras on JAX splits it.
 * Non-float32 inputs are cast to float32. `call` returns a new tensor owned by the caller,
 * disposes nothing and runs in its own `tf.tidy`.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options or `dataFormat: 'channelsFirst'`.
 * @throws ShapeError from `build` for an input of another rank; from `call` for an input of
 *   another shape than the built one.
 */
export const globalMaxPooling2d: (options?: GlobalMaxPooling2dOptions) => GlobalMaxPooling2dLayer = /* @__PURE__ */ globalPoolingFactory(
  'globalMaxPooling2d',
  2,
  'max',
);
