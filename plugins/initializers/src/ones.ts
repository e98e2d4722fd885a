import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type Initializer} from '@trellis/core';

/** Config of {@link ones}: none. */
export type OnesConfig = Record<string, never>;

/**
 * All ones: `w = 1` (Keras `Ones`).
 *
 * @returns an initializer whose tensors (any shape, the given dtype) belong to the caller.
 */
export function ones(): Initializer<OnesConfig> {
  return withSpec({id: 'trellis/ones', config: {} as OnesConfig}, (shape: readonly number[], dtype: tf.DataType) =>
    tf.ones([...shape], dtype),
  );
}
