/**
 * Weight constraints.
 *
 * Contract version 1.
 * @module
 */
import type {Tensor} from '@tensorflow/tfjs-core';
import type {Json, Serializable} from './json';

/**
 * `constraint(weight)` → the projected weight (same shape and dtype), a new
 * tensor owned by the caller; applied after every optimizer update.
 */
export interface Constraint<C extends Json = Json> extends Serializable<C> {
  (weight: Tensor): Tensor;
}
