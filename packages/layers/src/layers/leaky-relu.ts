import * as tf from '@tensorflow/tfjs-core';
import type {BaseLayerOptions} from './elementwise-layer';
import {numberOptionLayer, type NumberOptionConfig, type NumberOptionLayerOf} from './number-option-layer';

/** Options of {@link leakyRelu} (`layers.leakyRelu`). */
export type LeakyReluLayerOptions = BaseLayerOptions & {
  /** Slope for negative inputs, ≥ 0. Default 0.3 (Keras `LeakyReLU(negative_slope=0.3)`). */
  readonly negativeSlope?: number;
};

/** The JSON config in a leaky ReLU layer's spec (`trellis/leakyRelu`; the old id `trellis/leakyReLU` still loads). */
export type LeakyReluLayerConfig = NumberOptionConfig<'negativeSlope'>;

/** A leaky ReLU layer: the {@link Layer} contract plus its slope. */
export type LeakyReluLayer = NumberOptionLayerOf<'negativeSlope'>;

/**
 * Keras `LeakyReLU`, `layers.leakyRelu` (`activations.leakyRelu` is the
 * activation): `x` for `x ≥ 0`, `negativeSlope · x` otherwise. The default
 * slope is 0.3, Keras' layer default (the `leakyRelu` activation's is 0.2). No weights; output shape = input shape. `call` returns a new float32
 * tensor owned by the caller and disposes nothing; non-float32 inputs are cast.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError if `negativeSlope` is not a finite number ≥ 0.
 */
export function leakyRelu(options: LeakyReluLayerOptions = {}): LeakyReluLayer {
  return numberOptionLayer('leakyRelu', options, {
    option: 'negativeSlope',
    fallback: 0.3,
    test: (slope) => slope >= 0,
    expected: 'a finite number ≥ 0',
    make: (slope) => (x) => tf.leakyRelu(x, slope),
  });
}

/**
 * The leaky ReLU layer under its former flat name (spec id `trellis/leakyRelu`).
 *
 * @deprecated Use `layers.leakyRelu` (the leaky ReLU layer; `leakyRelu` is the activation) — removed in the next minor release.
 */
export const leakyReLU: typeof leakyRelu = leakyRelu;

/** @deprecated Use {@link LeakyReluLayerOptions} — removed in the next minor release. */
export type LeakyReLUOptions = LeakyReluLayerOptions;
/** @deprecated Use {@link LeakyReluLayerConfig} (`LeakyReluConfig` is the activation's) — removed in the next minor release. */
export type LeakyReLUConfig = LeakyReluLayerConfig;
/** @deprecated Use {@link LeakyReluLayer} — removed in the next minor release. */
export type LeakyReLULayer = LeakyReluLayer;
