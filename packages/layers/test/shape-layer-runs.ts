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

/** A run of {@link runBesideOracle}: the input, the layer's output and the oracle's, and the values per sample. */
type OracleRun = {readonly x: tf.Tensor; readonly y: tf.Tensor; readonly oracle: tf.Tensor; readonly n: number};

/**
 * Builds `layer` for `inputShape` (checking it gives `outputShape`), calls it
 * outside training on a batch of 2 with values uniform in [-1, 1] (seeded
 * with the values per sample), runs `oracle` on the same input and checks the
 * output shape. The caller disposes the tensors.
 */
export function runBesideOracle(
  layer: Layer,
  inputShape: readonly number[],
  outputShape: readonly number[],
  oracle: (x: tf.Tensor) => tf.Tensor,
): OracleRun {
  expect(layer.build(inputShape as number[], createBuildContext())).toEqual(outputShape);
  const n = inputShape.reduce((a: number, b: number) => a * b, 1);
  const x = tf.tensor(uniform(randomGenerator(n), 2 * n, -1, 1), [2, ...inputShape]);
  const y = layer.call(x, callContext(false));
  const expected = oracle(x);
  expect(y.shape).toEqual([2, ...outputShape]);
  return {x, y, oracle: expected, n};
}

/** Builds `layer` for `[2, 3]` and checks that a call on `[4, 2, 3]` and the gradient of a training call leak no tensor. */
export async function expectCallAndGradientLeakNothing(layer: Layer): Promise<void> {
  layer.build([2, 3], createBuildContext());
  const x = tf.ones([4, 2, 3]);
  await expectNoTensorLeaks(() => {
    tf.dispose(layer.call(x, callContext(false)));
    tf.dispose(tf.grad((t: tf.Tensor) => tf.sum(layer.call(t, callContext(true))))(x));
  });
  x.dispose();
}
