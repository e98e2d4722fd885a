import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type Constraint} from '@trellis/core';

/**
 * Keras `NonNeg`: `max(w, 0)`.
 *
 * @returns a constraint returning a new tensor of the weight's shape and dtype (caller owns it); the
 *   weight is not disposed.
 */
export function nonNeg(): Constraint<Record<string, never>> {
  return withSpec({id: 'trellis/nonNeg', config: {} as Record<string, never>}, (weight: tf.Tensor) => tf.maximum(weight, 0));
}
