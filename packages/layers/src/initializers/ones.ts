import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type Initializer} from '@trellis/core';

/** Config of {@link ones}: none. */
export type OnesConfig = Record<string, never>;

/**
 * All ones (Keras `"ones"`): the default of `batchNormalization`'s `gamma` and
 * `moving_variance` and of `layerNormalization`'s `gamma`. Spec id
 * `trellis/ones`; the layers plugin resolves it even when no initializers
 * plugin registers it.
 *
 * @returns an initializer whose tensors (any shape, the given dtype) belong to the caller.
 */
export function ones(): Initializer<OnesConfig> {
  return withSpec({id: 'trellis/ones', config: {} as OnesConfig}, (shape: readonly number[], dtype: tf.DataType) =>
    tf.ones([...shape], dtype),
  );
}
