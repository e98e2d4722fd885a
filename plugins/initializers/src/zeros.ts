import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type Initializer} from '@trellis/core';

/** Config of {@link zeros}: none. */
export type ZerosConfig = Record<string, never>;

/**
 * All zeros (the `dense` bias default).
 *
 * @returns an initializer whose tensors (any shape, the given dtype) belong to the caller.
 */
export function zeros(): Initializer<ZerosConfig> {
  return withSpec({id: 'trellis/zeros', config: {} as ZerosConfig}, (shape: readonly number[], dtype: tf.DataType) =>
    tf.zeros([...shape], dtype),
  );
}
