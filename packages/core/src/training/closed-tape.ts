/**
 * `tf.variableGrads` that leaves nothing behind when the function throws.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn` under tfjs' gradient tape over `variables` and returns its value
 * and gradients (keyed by the variables' tfjs names; tensors owned by the
 * caller). When `fn` throws, the error is rethrown after the tape is closed:
 * tfjs' own `variableGrads` keeps the tensors its tape saved when `fn`
 * throws, so the failure is caught inside, the tape is closed on a stand-in
 * value, and its results are freed before rethrowing. `variables` must not be
 * empty.
 */
export function closedTape(fn: () => tf.Scalar, variables: readonly tf.Variable[]): {value: tf.Scalar; grads: tf.NamedTensorMap} {
  let failure: {error: unknown} | null = null;
  const result = tf.variableGrads(() => {
    try {
      return fn();
    } catch (error) {
      failure = {error};
      return tf.mul(tf.sum(variables[0]!), 0) as tf.Scalar;
    }
  }, [...variables]);
  if (failure) {
    tf.dispose([result.value, result.grads]);
    throw (failure as {error: unknown}).error;
  }
  return result;
}
