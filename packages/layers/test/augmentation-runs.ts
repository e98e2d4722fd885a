/**
 * What the tests of the image augmentation layers share (not exported):
 * a built layer, the identity check outside training, and the leak check of its calls on a batch and on a single
 * image.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Layer} from '@trellis/core';
import {expectNoTensorLeaks, randomGenerator} from '@trellis/testing';
import {expect} from 'vitest';
import {expectSeededOutputs} from './seeded-outputs';
import {callContext, createBuildContext, uniform} from './testing';

/** `layer` built for `inputShape` in a context named `kind`, after checking that `build` gives `outputShape` (by default the input shape). */
export function builtAugmentation<L extends Layer>(
  layer: L,
  kind: string,
  inputShape: number[],
  outputShape: readonly unknown[] = inputShape,
): L {
  expect(layer.build(inputShape, createBuildContext(kind))).toEqual(outputShape);
  return layer;
}

/**
 * Checks that training calls on a batch of ones of `batchShape` (default
 * `[3, 4, 4, 1]`) and on one image of it, an inference call on the batch and,
 * with `inputGradient`, the gradient of a training call with respect to the
 * batch leak no tensor.
 */
export async function expectImageCallsLeakNothing(
  layer: Layer,
  batchShape: readonly number[] = [3, 4, 4, 1],
  inputGradient = false,
): Promise<void> {
  const x = tf.ones([...batchShape]);
  const single = tf.ones(batchShape.slice(1));
  await expectNoTensorLeaks(() => {
    tf.dispose(layer.call(x, callContext(true)));
    tf.dispose(layer.call(single, callContext(true)));
    tf.dispose(layer.call(x, callContext(false)));
    if (inputGradient) tf.dispose(tf.grad((v: tf.Tensor) => tf.sum(layer.call(v, callContext(true))))(x));
  });
  tf.dispose([x, single]);
}

/**
 * Checks that an inference call of `layer` on a batch of `shape` with values
 * uniform in [0, `high`] (seed 1) is the identity: a new tensor, the same values.
 */
export function expectIdentityOutsideTraining(layer: Layer, shape: [number, number, number, number], high: number): void {
  const x = tf.tensor4d(uniform(randomGenerator(1), shape[0] * shape[1] * shape[2] * shape[3], 0, high), shape);
  const y = layer.call(x, callContext(false));
  expect(y).not.toBe(x);
  expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
  tf.dispose([x, y]);
}

/**
 * Checks a color augmentation layer built for `[3, 3, 1]` on a batch `[2, 3,
 * 3, 1]` with values uniform in [100, 150] (seed 6): `checkGradient` gets
 * the gradient of the sum of a training call, then training and inference
 * calls and that gradient must leak no tensor.
 */
export async function expectGradientAndNoLeaks(layer: Layer, checkGradient: (gradient: number[]) => void): Promise<void> {
  const x = tf.tensor4d(uniform(randomGenerator(6), 18, 100, 150), [2, 3, 3, 1]);
  const g = tf.grad((v: tf.Tensor) => tf.sum(layer.call(v, callContext(true))))(x);
  checkGradient(Array.from(g.dataSync()));
  g.dispose();
  await expectNoTensorLeaks(() => {
    tf.dispose(layer.call(x, callContext(true)));
    tf.dispose(layer.call(x, callContext(false)));
    tf.dispose(tf.grad((v: tf.Tensor) => tf.sum(layer.call(v, callContext(true))))(x));
  });
  x.dispose();
}

/** {@link expectSeededOutputs} for `make` on a batch `[4, 3, 3, 1]` with values uniform in [0, 255] (seed 5). */
export function expectSeededOutputsOnSmallImages(make: (seed: number | null) => Layer): void {
  const x = tf.tensor4d(uniform(randomGenerator(5), 4 * 9, 0, 255), [4, 3, 3, 1]);
  expectSeededOutputs(x, make);
  x.dispose();
}

/** The spec config of an affine augmentation layer: `entries`, and each other base option at its default. */
export function affineConfig(entries: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {name: '', fillMode: 'reflect', interpolation: 'bilinear', fillValue: 0, seed: null, ...entries};
}

/** `batch` images of size n×n whose two channels hold each pixel's x and y. */
export function coordinateImages(batch: number, n: number): tf.Tensor4D {
  const one = Array.from({length: n * n}, (_, i) => [i % n, Math.floor(i / n)]).flat();
  return tf.tensor4d(Array.from({length: batch}, () => one).flat(), [batch, n, n, 2]);
}
