import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, describe, type CallContext, type Shape, type Spec, optionKeys} from '@trellis/core';
import {knownOptions} from '../option-keys';
import {checkBuildShape, checkInputShape, checkName, formatShape, layerLabel} from './common';
import type {SymbolicLayer} from './symbolic-layer';
import {WeightlessLayerBase} from './weightless-layer';

/** Options of {@link reshape} (Keras `Reshape`). */
export type ReshapeOptions = {
  /** The shape of each sample, without the batch dimension; one entry may be -1 (inferred). */
  readonly targetShape: readonly number[];
  /** Input shape without the batch dimension, for the first layer of a model. */
  readonly inputShape?: Shape;
  /** Unique within a model; empty (default) lets the model choose. */
  readonly name?: string;
};

/** The names of {@link ReshapeOptions}: what {@link reshape} accepts. */
const RESHAPE_KEYS = optionKeys<ReshapeOptions>({targetShape: true, inputShape: true, name: true});

/** The JSON config in a reshape layer's spec (`trellis/reshape`); `targetShape` as given (with its -1). */
export type ReshapeConfig = {
  readonly name: string;
  readonly targetShape: readonly number[];
  readonly inputShape?: readonly number[];
};

/** A reshape layer with its target shape. */
export interface ReshapeLayer extends SymbolicLayer<ReshapeConfig> {
  /** As given, possibly with one -1. */
  readonly targetShape: readonly number[];
}

/**
 * Reshapes each sample (Keras `Reshape`): `[batch, ...inputShape]` →
 * `[batch, ...targetShape]`, row-major (`channels_last`) order; one `-1` entry
 * takes the size that keeps the element count. No weights.
 *
 * `call` returns a reshaped view (a new tensor handle owned by the caller) and
 * disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for a `targetShape` that is not positive integers with at most one -1.
 * @throws ShapeError from `build` when the element counts cannot match; from `call`
 *   when the input does not have the built shape.
 *
 * @example
 * reshape({targetShape: [28, 28, 1], inputShape: [784]});
 */
export function reshape(options: ReshapeOptions): ReshapeLayer {
  return new Reshape(knownOptions('reshape', options, RESHAPE_KEYS));
}

class Reshape extends WeightlessLayerBase implements ReshapeLayer {
  name: string;
  readonly inputShape?: Shape;
  readonly targetShape: readonly number[];

  constructor(options: ReshapeOptions) {
    super();
    const target = options.targetShape;
    const valid =
      Array.isArray(target) &&
      target.every((d) => Number.isInteger(d) && (d > 0 || d === -1)) &&
      target.filter((d) => d === -1).length <= 1;
    if (!valid) {
      throw new ConfigError(
        `reshape: targetShape must be an array of positive integers with at most one -1 (inferred), without the batch ` +
          `dimension (e.g. [28, 28, 1] or [-1, 3]); got ${Array.isArray(target) ? JSON.stringify(target) : describe(target)}.`,
      );
    }
    this.targetShape = Object.freeze([...target]);
    this.name = checkName('reshape', options.name);
    const inputShape = checkInputShape('reshape', options.inputShape);
    if (inputShape) this.inputShape = inputShape;
  }

  get spec(): Spec<ReshapeConfig> {
    return {
      id: 'trellis/reshape',
      config: {
        name: this.name,
        targetShape: [...this.targetShape],
        ...(this.inputShape ? {inputShape: [...this.inputShape]} : {}),
      },
    };
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = layerLabel('reshape', this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    const size = inputShape.reduce((a, b) => a * b, 1);
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const unknown = this.targetShape.indexOf(-1);
    const fits = unknown === -1 ? known === size : size % known === 0;
    if (!fits) {
      throw new ShapeError(
        `${label} cannot reshape input shape ${formatShape(inputShape)} (${size} values per sample) to ` +
          `${formatShape(this.targetShape)}${unknown === -1 ? ` (${known} values)` : ` (a multiple of ${known} values)`}. ` +
          'Fix targetShape so that the number of values per sample is unchanged.',
      );
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    const label = layerLabel('reshape', this.name);
    const {output} = this.checkBuilt(label, input.shape);
    return tf.reshape(input, [input.shape[0]!, ...output]);
  }
}
