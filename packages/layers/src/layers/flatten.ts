import * as tf from '@tensorflow/tfjs-core';
import {type CallContext, type Layer, type Shape, type Spec, optionKeys} from '@trellis/core';
import {knownOptions} from '../option-keys';
import {checkBuildShape, layerLabel} from './common';
import type {BaseLayerConfig} from './elementwise-layer';
import type {SymbolicLayer} from './symbolic-layer';
import {WeightlessLayerBase} from './weightless-layer';
import {layerSpec} from './layer-spec';

/** Options of {@link flatten}. */
export type FlattenOptions = {
  /** Input shape without the batch dimension, for the first layer of a model (e.g. `[28, 28, 1]`). */
  readonly inputShape?: Shape;
  /** Unique within a model; empty (default) lets the model choose. */
  readonly name?: string;
};

/** The names of {@link FlattenOptions}: what {@link flatten} accepts. */
const FLATTEN_KEYS = optionKeys<FlattenOptions>({inputShape: true, name: true});

/** The JSON config in a flatten layer's spec (`trellis/flatten`). */
export type FlattenConfig = BaseLayerConfig;

/**
 * Flattens each sample to a vector (Keras `Flatten`, `channels_last` order):
 * `[batch, d1, ..., dn]` → `[batch, d1·...·dn]`; a sample with no axes
 * (`[batch]`) becomes `[batch, 1]`. No weights.
 *
 * `call` returns a reshaped view (a new tensor handle sharing the input's
 * data, owned by the caller) and disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ShapeError from `call` when the input does not have the built shape.
 *
 * @throws ConfigError for an invalid `name` or `inputShape`.
 */
export function flatten(options: FlattenOptions = {}): SymbolicLayer<FlattenConfig> {
  return new Flatten(knownOptions('flatten', options, FLATTEN_KEYS));
}

class Flatten extends WeightlessLayerBase implements Layer<FlattenConfig> {
  constructor(options: FlattenOptions) {
    super();
    this.setIdentity('flatten', options);
  }

  get spec(): Spec<FlattenConfig> {
    return layerSpec('trellis/flatten', this, {});
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    checkBuildShape(layerLabel('flatten', this.name), inputShape, this.inputShape);
    return [inputShape.reduce((a, b) => a * b, 1)];
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    const label = layerLabel('flatten', this.name);
    const {built} = this.checkBuilt(label, input.shape);
    return tf.reshape(input, [input.shape[0]!, built.reduce((a, b) => a * b, 1)]);
  }
}
