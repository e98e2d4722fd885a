import * as tf from '@tensorflow/tfjs-core';
import type {CallContext, Rng, Shape} from '@trellis/core';
import {callRng, checkImageCallShape} from './image-augmentation';

/** A training call of an image augmentation layer: whether the input is a single image, and this call's generator. */
export type AugmentationCall = {readonly single: boolean; readonly rng: Rng};

/**
 * The start of an image augmentation layer's `call`: checks `input` against
 * the `built` image shape (throwing a StateError naming `label` before
 * `build`, a ShapeError for another shape). Outside training the result is
 * `{output}`, the input as a new float32 tensor, for the layer to return;
 * in training, the {@link AugmentationCall}, its generator seeded from `own`
 * (the layer's seeded stream) or else from `context`.
 */
export function startAugmentation(
  label: string,
  built: Shape | null,
  own: Rng | null,
  input: tf.Tensor,
  context: CallContext,
): {readonly output: tf.Tensor} | AugmentationCall {
  const single = checkImageCallShape(label, built, input.shape);
  if (!context.training) return {output: input.dtype === 'float32' ? tf.clone(input) : tf.cast(input, 'float32')};
  return {single, rng: callRng(own, context)};
}
