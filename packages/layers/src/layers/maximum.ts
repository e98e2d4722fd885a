import * as tf from '@tensorflow/tfjs-core';
import {type MergeConfig, type MergeOptions} from './base-merge';
import {foldMerge} from './fold-merge';
import {type SymbolicMergeLayer} from './symbolic-layer';

/**
 * The elementwise maximum of its inputs (Keras `Maximum`):
 * `max(x0, x1, …)`. No weights. Where inputs tie, the gradient goes to the
 * earliest of them (as TensorFlow's `Maximum`); Keras on JAX splits it.
 *
 * Shapes: at least two inputs `[batch, ...shape_i]` with the same `batch`;
 * the sample shapes broadcast as in Keras (aligned on the last axis, each
 * size equal or 1 in one of them; an input with fewer axes gets axes of size
 * 1 after the batch axis), e.g. `[batch, 4, 3]` and `[batch, 3]` →
 * `[batch, 4, 3]`. float32 or int32 inputs; int32 is cast, the output is
 * float32.
 *
 * `call(inputs, context)` returns a new tensor owned by the caller and
 * disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options (a `name` with `/`).
 * @throws ShapeError from `build` for fewer than two inputs or shapes that do
 *   not broadcast; from `call` for inputs that do not have the built shapes or
 *   differ in batch size.
 * @throws DTypeError from `call` for inputs other than float32 and int32.
 *
 * @example
 * const sum = maximum();
 * sum.build([[8], [8]], context);            // → [8]
 * const y = sum.call([a, b], context);       // a, b: [batch, 8]
 */
export function maximum(options?: MergeOptions): SymbolicMergeLayer<MergeConfig> {
  return foldMerge('maximum', options, {op: tf.maximum, broadcast: true});
}
