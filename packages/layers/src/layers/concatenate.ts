import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, describe, type Shape} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import {BaseMerge, MERGE_KEYS, type MergeConfig} from './base-merge';
import {formatShape} from './common';
import {type SymbolicMergeLayer} from './symbolic-layer';

/** Options of {@link concatenate} (Keras `Concatenate`). */
export type ConcatenateOptions = {
  /**
   * The axis to join along, counted on the inputs with their batch axis:
   * `-1` (default, Keras' default) is the last, `1` the first sample axis.
   * `0`, the batch axis, is refused (the output would not pair with the
   * targets sample by sample).
   */
  readonly axis?: number;
  /** Unique within a model; empty (default) lets the model choose. */
  readonly name?: string;
};

/** The names of {@link ConcatenateOptions}: what {@link concatenate} accepts. */
const CONCATENATE_KEYS = reuseKeys<ConcatenateOptions>()(['axis', ...MERGE_KEYS]);

/** The JSON config in a concatenate layer's spec (`trellis/concatenate`). */
export type ConcatenateConfig = MergeConfig & {
  readonly axis: number;
};

/** A concatenate layer with its axis. */
export interface ConcatenateLayer extends SymbolicMergeLayer<ConcatenateConfig> {
  readonly axis: number;
}

/**
 * Joins its inputs along `axis` (Keras `Concatenate`). No weights.
 *
 * Shapes: at least two inputs `[batch, ...shape_i]` with the same `batch`
 * and the same number of axes, equal on every axis but `axis`; the output has
 * the sum of their sizes on `axis`: `[batch, 4, 3]` and `[batch, 4, 5]` →
 * `[batch, 4, 8]`. No broadcasting. float32 or int32 inputs; int32 is cast,
 * the output is float32.
 *
 * `call(inputs, context)` returns a new tensor owned by the caller and
 * disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError unless `axis` is a non-zero integer.
 * @throws ShapeError from `build` for fewer than two inputs, inputs of
 *   different ranks, an `axis` out of range (or the batch axis, counted from
 *   the end), or shapes that differ on another axis; from `call` for inputs
 *   that do not have the built shapes or differ in batch size.
 * @throws DTypeError from `call` for inputs other than float32 and int32.
 *
 * @example
 * const joined = concatenate();
 * joined.build([[4, 3], [4, 5]], context);      // → [4, 8]
 */
export function concatenate(options?: ConcatenateOptions): ConcatenateLayer {
  return new Concatenate(knownOptions('concatenate', options, CONCATENATE_KEYS));
}

class Concatenate extends BaseMerge<ConcatenateConfig> implements ConcatenateLayer {
  readonly axis: number;
  #axis = 0;

  constructor(options: ConcatenateOptions) {
    super('concatenate', options);
    const axis = options.axis === undefined ? -1 : options.axis;
    if (!Number.isInteger(axis) || axis === 0) {
      throw new ConfigError(
        `concatenate: axis must be a non-zero integer, counted with the batch axis (-1: the last axis, 1: the first ` +
          `sample axis); got ${describe(axis)}. Joining along the batch axis (0) is not supported.`,
      );
    }
    this.axis = axis;
  }

  protected ownConfig(): Omit<ConcatenateConfig, 'name'> {
    return {axis: this.axis};
  }

  protected outputShape(inputShapes: readonly Shape[]): Shape {
    const shapes = inputShapes.map(formatShape).join(', ');
    const rank = inputShapes[0]!.length;
    if (inputShapes.some((s) => s.length !== rank)) {
      throw new ShapeError(`${this.label} expects inputs with the same number of axes; got shapes ${shapes} (without the batch axis).`);
    }
    if (rank === 0) {
      throw new ShapeError(
        `${this.label} joins along a sample axis, but the inputs have none (shapes ${shapes} without the batch ` +
          'axis, one number per sample). Give them a trailing axis of size 1.',
      );
    }
    // Counted with the batch axis, as in Keras: the sample axes are 1..rank.
    const axis = this.axis < 0 ? this.axis + rank + 1 : this.axis;
    if (axis < 1 || axis > rank) {
      throw new ShapeError(
        `${this.label}: axis ${this.axis} is out of range for inputs of shapes ${shapes} (without the batch axis): ` +
          `expected an axis in [1, ${rank}] or [${-rank}, -1], counted with the batch axis.`,
      );
    }
    const k = axis - 1;
    const first = inputShapes[0]!;
    if (inputShapes.some((s) => s.some((d, j) => j !== k && d !== first[j]))) {
      throw new ShapeError(
        `${this.label} expects inputs with equal shapes except on axis ${this.axis}; got ${shapes} (without the batch axis).`,
      );
    }
    this.#axis = axis;
    return first.map((d, j) => (j === k ? inputShapes.reduce((sum, s) => sum + s[k]!, 0) : d));
  }

  protected compute(inputs: readonly tf.Tensor[]): tf.Tensor {
    return tf.concat([...inputs], this.#axis);
  }
}
