/**
 * The tensor-leak check shared by the tests of the layers with weights.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Layer} from '@trellis/core';
import {callContext, expectNoTensorLeaks} from '@trellis/testing';

/**
 * Checks that calling `layer` on `x` leaks no tensor: an inference call, a
 * training call with the gradients of its sum with respect to the trainable
 * variables, and with `inputGradient` the gradient with respect to `x`.
 */
export async function expectCallsLeakNothing(layer: Layer, x: tf.Tensor, inputGradient = false): Promise<void> {
  await expectNoTensorLeaks(() => {
    tf.dispose(layer.call(x, callContext(false)));
    const {value, grads} = tf.variableGrads(() => tf.sum(layer.call(x, callContext(true))) as tf.Scalar);
    tf.dispose([value, ...Object.values(grads)]);
    if (inputGradient) tf.dispose(tf.grad((t: tf.Tensor) => tf.sum(layer.call(t, callContext(true))))(x));
  });
}

/** {@link expectCallsLeakNothing} on an input of `shape` holding `values` (made and disposed here). */
export async function expectCallsOnValuesLeakNothing(
  layer: Layer,
  values: number[],
  shape: readonly number[],
  inputGradient = false,
): Promise<void> {
  const x = tf.tensor(values, [...shape]);
  await expectCallsLeakNothing(layer, x, inputGradient);
  x.dispose();
}
