/**
 * Weight initializers.
 *
 * Contract version 1.
 * @module
 */
import type {DataType, Tensor} from '@tensorflow/tfjs-core';
import type {Json, Serializable} from './json';

/**
 * `initializer(shape, dtype, seed)` returns a new tensor of that shape and
 * dtype, owned by the caller. A seed in the initializer's own config wins over
 * the `seed` argument; with neither, the global seed stream of `setSeed()` is
 * used. Same seed, same backend → same bits.
 */
export interface Initializer<C extends Json = Json> extends Serializable<C> {
  (shape: readonly number[], dtype: DataType, seed?: number): Tensor;
}
