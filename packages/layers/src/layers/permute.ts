import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, describe, type CallContext, type Shape, type Spec, optionKeys} from '@trellis/core';
import {knownOptions} from '../option-keys';
import {checkBuildShape, checkInputShape, checkName, formatShape, layerLabel} from './common';
import type {SymbolicLayer} from './symbolic-layer';
import {WeightlessLayerBase} from './weightless-layer';

/** Options of {@link permute} (Keras `Permute`). */
export type PermuteOptions = {
  /**
   * The order of the sample axes, 1-based (the batch axis 0 stays first): a
   * permutation of `1..n`. `[2, 1]` swaps the two axes of each sample.
   */
  readonly dims: readonly number[];
  /** Input shape without the batch dimension, for the first layer of a model. */
  readonly inputShape?: Shape;
  /** Unique within a model; empty (default) lets the model choose. */
  readonly name?: string;
};

/** The names of {@link PermuteOptions}: what {@link permute} accepts. */
const PERMUTE_KEYS = optionKeys<PermuteOptions>({dims: true, inputShape: true, name: true});

/** The JSON config in a permute layer's spec (`trellis/permute`). */
export type PermuteConfig = {
  readonly name: string;
  readonly dims: readonly number[];
  readonly inputShape?: readonly number[];
};

/** A permute layer with its axis order. */
export interface PermuteLayer extends SymbolicLayer<PermuteConfig> {
  readonly dims: readonly number[];
}

/**
 * Permutes the axes of each sample (Keras `Permute`): output axis `i` (1-based)
 * is input axis `dims[i - 1]`; `[batch, 10, 64]` with `dims: [2, 1]` → `[batch, 64, 10]`.
 * No weights. `call` returns a new tensor owned by the caller and disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError unless `dims` is a permutation of `1..n`.
 * @throws ShapeError from `build` when the input has another number of axes than `dims`;
 *   from `call` when the input does not have the built shape.
 */
export function permute(options: PermuteOptions): PermuteLayer {
  return new Permute(knownOptions('permute', options, PERMUTE_KEYS));
}

class Permute extends WeightlessLayerBase implements PermuteLayer {
  name: string;
  readonly inputShape?: Shape;
  readonly dims: readonly number[];

  constructor(options: PermuteOptions) {
    super();
    const dims = options.dims;
    const valid = Array.isArray(dims) && dims.length > 0 && [...dims].sort((a, b) => a - b).every((d, i) => d === i + 1);
    if (!valid) {
      throw new ConfigError(
        `permute: dims must be a permutation of 1..n (1-based sample axes; the batch axis is not included), e.g. [2, 1]; ` +
          `got ${Array.isArray(dims) ? JSON.stringify(dims) : describe(dims)}.`,
      );
    }
    this.dims = Object.freeze([...dims]);
    this.name = checkName('permute', options.name);
    const inputShape = checkInputShape('permute', options.inputShape);
    if (inputShape) this.inputShape = inputShape;
  }

  get spec(): Spec<PermuteConfig> {
    return {
      id: 'trellis/permute',
      config: {name: this.name, dims: [...this.dims], ...(this.inputShape ? {inputShape: [...this.inputShape]} : {})},
    };
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = layerLabel('permute', this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    if (inputShape.length !== this.dims.length) {
      throw new ShapeError(
        `${label} permutes ${this.dims.length} sample axes (dims ${formatShape(this.dims)}); got input shape ` +
          `${formatShape(inputShape)} with ${inputShape.length}. Give dims one entry per sample axis.`,
      );
    }
    return this.dims.map((d) => inputShape[d - 1]!);
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    const label = layerLabel('permute', this.name);
    this.checkBuilt(label, input.shape);
    return tf.transpose(input, [0, ...this.dims]);
  }
}
