import type * as tf from '@tensorflow/tfjs-core';
import type {BuildContext, Constraint, Initializer, Regularizer} from '@trellis/core';

/**
 * The trainable weight `name` of `shape` requested from `context`, with the
 * regularizer and constraint when given (owned by the model).
 */
export function addTrainableWeight(
  context: BuildContext,
  name: string,
  shape: readonly number[],
  initializer: Initializer,
  regularizer: Regularizer | null,
  constraint: Constraint | null,
): tf.Variable {
  return context.addWeight({
    name,
    shape,
    initializer,
    trainable: true,
    ...(regularizer ? {regularizer} : {}),
    ...(constraint ? {constraint} : {}),
  });
}
