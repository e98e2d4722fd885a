import * as tf from '@tensorflow/tfjs-core';
import {withSpec, type Initializer} from '@trellis/core';
import {checkNumber} from './checks';

/** Config of {@link constant}. */
export type ConstantConfig = {
  /** The value of every element (Keras default 0). */
  readonly value?: number;
};

/**
 * A constant: `w = value` (Keras `Constant`, default `value = 0`).
 *
 * @returns an initializer whose tensors (any shape, the given dtype; int32 truncates like a cast)
 *   belong to the caller.
 */
export function constant(config: ConstantConfig = {}): Initializer<{value: number}> {
  const value = checkNumber('constant', 'value', config.value ?? 0);
  return withSpec({id: 'trellis/constant', config: {value}}, (shape: readonly number[], dtype: tf.DataType) =>
    tf.fill([...shape], dtype === 'int32' ? Math.trunc(value) : value, dtype),
  );
}
