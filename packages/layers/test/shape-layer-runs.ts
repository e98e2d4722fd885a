/**
 * What the tests of the layers that only rearrange values share (not
 * exported): a forward run beside the tfjs-layers oracle, and the leak check
 * of a call and its gradient.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Layer} from '@trellis/core';
import {expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {expect} from 'vitest';
import {callContext, createBuildContext, uniform} from './testing';

/** A run of {@link runBesideOracle}: the input, the layer's output and the oracle's. */
type OracleRun = {readonly x: tf.Tensor; readonly y: tf.Tensor; readonly oracle: tf.Tensor};

/**
 * Builds `layer` for `inputShape` (checking it gives `outputShape`), calls it
 * outside training on a batch of 2 with values uniform in [-1, 1] (seeded
 * with the values per sample), applies the tfjs-layers `oracle` to the same
 * input and checks the output shape. The caller disposes the tensors.
 */
export function runBesideOracle(
  layer: Layer,
  inputShape: readonly number[],
  outputShape: readonly number[],
  oracle: {apply(x: tf.Tensor): unknown},
): OracleRun {
  expect(layer.build(inputShape as number[], createBuildContext())).toEqual(outputShape);
  const n = inputShape.reduce((a: number, b: number) => a * b, 1);
  const x = tf.tensor(uniform(randomGenerator(n), 2 * n, -1, 1), [2, ...inputShape]);
  const y = layer.call(x, callContext(false));
  const expected = oracle.apply(x) as tf.Tensor;
  expect(y.shape).toEqual([2, ...outputShape]);
  return {x, y, oracle: expected};
}

/**
 * Builds `layer` for `inputShape` and checks that a call on a batch of
 * `batch` ones and the gradient of a training call with respect to it leak no tensor.
 */
export async function expectCallAndGradientLeakNothing(layer: Layer, inputShape: readonly number[] = [2, 3], batch = 4): Promise<void> {
  layer.build(inputShape as number[], createBuildContext());
  const x = tf.ones([batch, ...inputShape]);
  await expectNoTensorLeaks(() => {
    tf.dispose(layer.call(x, callContext(false)));
    tf.dispose(tf.grad((t: tf.Tensor) => tf.sum(layer.call(t, callContext(true))))(x));
  });
  x.dispose();
}

/**
 * A cotangent `w` of `shape` with values uniform in [-1, 1] (seeded with
 * `seed`), and `g`, the gradient with respect to `x` of `sum(w · layer(x))`
 * in training. The caller disposes both.
 */
export function weightedInputGradient(layer: Layer, x: tf.Tensor, shape: readonly number[], seed: number): {w: tf.Tensor; g: tf.Tensor} {
  const w = tf.tensor(
    uniform(
      randomGenerator(seed),
      shape.reduce((a, b) => a * b, 1),
      -1,
      1,
    ),
    shape as number[],
  );
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(w, layer.call(t, callContext(true)))))(x);
  return {w, g};
}
