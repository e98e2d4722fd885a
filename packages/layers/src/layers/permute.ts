import * as tf from '@tensorflow/tfjs-core';
import {ShapeError, type CallContext, type Shape} from '@trellis/core';
import {formatShape} from './common';
import type {BaseLayerOptions} from './elementwise-layer';
import {ListOptionLayer, type ListOptionConfig, type ListOptionLayerOf} from './list-option-layer';

/** Options of {@link permute} (Keras `Permute`). */
export type PermuteOptions = BaseLayerOptions & {
  /**
   * The order of the sample axes, 1-based (the batch axis 0 stays first): a
   * permutation of `1..n`. `[2, 1]` swaps the two axes of each sample.
   */
  readonly dims: readonly number[];
};

/** The JSON config in a permute layer's spec (`trellis/permute`). */
export type PermuteConfig = ListOptionConfig<'dims'>;

/** A permute layer with its axis order. */
export type PermuteLayer = ListOptionLayerOf<PermuteConfig, 'dims'>;

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
  return new Permute(options);
}

class Permute extends ListOptionLayer<PermuteConfig> implements PermuteLayer {
  readonly dims: readonly number[];

  constructor(options: PermuteOptions) {
    super('permute', options, {
      option: 'dims',
      valid: (dims) => dims.length > 0 && [...dims].sort((a, b) => a - b).every((d, i) => d === i + 1),
      expected: 'a permutation of 1..n (1-based sample axes; the batch axis is not included), e.g. [2, 1]',
    });
    this.dims = this.list;
  }

  protected outputShape(inputShape: Shape): Shape {
    if (inputShape.length !== this.dims.length) {
      throw new ShapeError(
        `${this.label} permutes ${this.dims.length} sample axes (dims ${formatShape(this.dims)}); got input shape ` +
          `${formatShape(inputShape)} with ${inputShape.length}. Give dims one entry per sample axis.`,
      );
    }
    return this.dims.map((d) => inputShape[d - 1]!);
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    this.checkBuilt(this.label, input.shape);
    return tf.transpose(input, [0, ...this.dims]);
  }
}
