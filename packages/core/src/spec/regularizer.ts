/**
 * Weight regularizers.
 *
 * Contract version 1.
 * @module
 */
import type {Scalar, Tensor} from '@tensorflow/tfjs-core';
import type {Json, Serializable} from './json';

/** `regularizer(weight)` → a scalar penalty added to the loss; does not dispose `weight`. */
export interface Regularizer<C extends Json = Json> extends Serializable<C> {
  (weight: Tensor): Scalar;
}
