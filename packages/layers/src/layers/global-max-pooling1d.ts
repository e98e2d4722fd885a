import type {BaseGlobalPoolingConfig, BaseGlobalPoolingLayer, BaseGlobalPoolingOptions} from './base-global-pooling';
import {globalPoolingFactory} from './base-global-pooling';

/** Options of {@link globalMaxPooling1d} (Keras `GlobalMaxPooling1D` arguments in camelCase). */
export type GlobalMaxPooling1dOptions = BaseGlobalPoolingOptions;

/** The JSON config in a globalMaxPooling1d layer's spec (`trellis/globalMaxPooling1d`). */
export type GlobalMaxPooling1dConfig = BaseGlobalPoolingConfig;

/** A globalMaxPooling1d layer with its resolved options. */
export type GlobalMaxPooling1dLayer = BaseGlobalPoolingLayer;

/**
 * The maximum of each channel over every spatial position (Keras `GlobalMaxPooling1D`,
 * `channels_last` only). No weights.
 *
 * Shapes: `[batch, steps, channels]` → `[batch, channels]`, or `[batch, 1, channels]` with `keepdims:
 * true`. The gradient goes to the maximum of each channel; on exact ties every tied element receives
 * it in full (tfjs-core's rule), where Keras on JAX splits it.
 * Non-float32 inputs are cast to float32. `call` returns a new tensor owned by the caller,
 * disposes nothing and runs in its own `tf.tidy`.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options or `dataFormat: 'channelsFirst'`.
 * @throws ShapeError from `build` for an input of another rank; from `call` for an input of
 *   another shape than the built one.
 */
export const globalMaxPooling1d: (options?: GlobalMaxPooling1dOptions) => GlobalMaxPooling1dLayer = /* @__PURE__ */ globalPoolingFactory(
  'globalMaxPooling1d',
  1,
  'max',
);
