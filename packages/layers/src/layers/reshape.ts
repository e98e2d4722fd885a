import * as tf from '@tensorflow/tfjs-core';
import {ShapeError, type CallContext, type Shape} from '@trellis/core';
import {formatShape} from './common';
import type {BaseLayerOptions} from './elementwise-layer';
import {ListOptionLayer, type ListOptionConfig, type ListOptionLayerOf} from './list-option-layer';

/** Options of {@link reshape} (Keras `Reshape`). */
export type ReshapeOptions = BaseLayerOptions & {
  /** The shape of each sample, without the batch dimension; one entry may be -1 (inferred). */
  readonly targetShape: readonly number[];
};

/** The JSON config in a reshape layer's spec (`trellis/reshape`); `targetShape` as given (with its -1). */
export type ReshapeConfig = ListOptionConfig<'targetShape'>;

/** A reshape layer with its target shape, as given (possibly with one -1). */
export type ReshapeLayer = ListOptionLayerOf<ReshapeConfig, 'targetShape'>;

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
  return new Reshape(options);
}

class Reshape extends ListOptionLayer<ReshapeConfig> implements ReshapeLayer {
  readonly targetShape: readonly number[];

  constructor(options: ReshapeOptions) {
    super('reshape', options, {
      option: 'targetShape',
      valid: (target) => target.every((d) => Number.isInteger(d) && (d > 0 || d === -1)) && target.filter((d) => d === -1).length <= 1,
      expected: 'an array of positive integers with at most one -1 (inferred), without the batch dimension (e.g. [28, 28, 1] or [-1, 3])',
    });
    this.targetShape = this.list;
  }

  protected outputShape(inputShape: Shape): Shape {
    const size = inputShape.reduce((a, b) => a * b, 1);
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const unknown = this.targetShape.indexOf(-1);
    const fits = unknown === -1 ? known === size : size % known === 0;
    if (!fits) {
      throw new ShapeError(
        `${this.label} cannot reshape input shape ${formatShape(inputShape)} (${size} values per sample) to ` +
          `${formatShape(this.targetShape)}${unknown === -1 ? ` (${known} values)` : ` (a multiple of ${known} values)`}. ` +
          'Fix targetShape so that the number of values per sample is unchanged.',
      );
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    const {output} = this.checkBuilt(this.label, input.shape);
    return tf.reshape(input, [input.shape[0]!, ...output]);
  }
}
