import * as tf from '@tensorflow/tfjs-core';
import {knownOptions} from '../option-keys';
import {ElementwiseMerge, MERGE_KEYS, type MergeConfig, type MergeOptions} from './base-merge';
import {type SymbolicMergeLayer} from './symbolic-layer';

/**
 * Subtracts its second input from its first, elementwise (Keras `Subtract`):
 * `x0 − x1`. No weights.
 *
 * Shapes: exactly two inputs `[batch, ...shape_i]` with the same `batch`; the
 * sample shapes broadcast as in Keras (aligned on the last axis, each size
 * equal or 1 in one of them; an input with fewer axes gets axes of size 1
 * after the batch axis). float32 or int32 inputs; int32 is cast, the output
 * is float32.
 *
 * `call(inputs, context)` returns a new tensor owned by the caller and
 * disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options (a `name` with `/`).
 * @throws ShapeError from `build` unless there are exactly two inputs whose
 *   shapes broadcast; from `call` for inputs that do not have the built shapes
 *   or differ in batch size.
 * @throws DTypeError from `call` for inputs other than float32 and int32.
 *
 * @example
 * const difference = subtract();
 * difference.build([[8], [8]], context);         // → [8]
 * const y = difference.call([a, b], context);    // a − b
 */
export function subtract(options?: MergeOptions): SymbolicMergeLayer<MergeConfig> {
  return new Subtract(knownOptions('subtract', options, MERGE_KEYS));
}

class Subtract extends ElementwiseMerge {
  constructor(options: MergeOptions) {
    super('subtract', options, 2);
  }

  protected merge(inputs: readonly tf.Tensor[]): tf.Tensor {
    return tf.sub(inputs[0]!, inputs[1]!);
  }
}
