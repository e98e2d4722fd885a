/**
 * What the tests of the image augmentation layers share (not exported):
 * a built layer, and the leak check of its calls on a batch and on a single
 * image.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Layer} from '@trellis/core';
import {expectNoTensorLeaks} from '@trellis/testing';
import {expect} from 'vitest';
import {callContext, createBuildContext} from './testing';

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

/** Checks that training calls on a batch `[3, 4, 4, 1]` and on one image `[4, 4, 1]`, and an inference call on the batch, leak no tensor. */
export async function expectImageCallsLeakNothing(layer: Layer): Promise<void> {
  const x = tf.ones([3, 4, 4, 1]);
  const single = tf.ones([4, 4, 1]);
  await expectNoTensorLeaks(() => {
    tf.dispose(layer.call(x, callContext(true)));
    tf.dispose(layer.call(single, callContext(true)));
    tf.dispose(layer.call(x, callContext(false)));
  });
  tf.dispose([x, single]);
}
