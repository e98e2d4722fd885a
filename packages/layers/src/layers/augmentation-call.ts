import * as tf from '@tensorflow/tfjs-core';
import {createRng, type CallContext, type Rng, type Shape} from '@trellis/core';
import {layerLabel} from './common';
import {asBatch, asFloat, callRng, checkImageBuildShape, checkImageCallShape} from './image-augmentation';
import {WeightlessLayerBase} from './weightless-layer';

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

/**
 * The base of the image augmentation layers: build and a call that, in
 * training, hands each batch (as float32) to {@link augment} with this call's
 * generator; outside training the call is the identity.
 */
export abstract class ImageAugmentationLayer extends WeightlessLayerBase {
  readonly #kind: string;
  #rng: Rng | null = null;

  /** `kind` names the layer in errors (`randomZoom`). */
  constructor(kind: string) {
    super();
    this.#kind = kind;
  }

  /** Starts this layer's own stream from `seed`; with `null`, each training call draws its seed from the context. */
  protected seedStream(seed: number | null): void {
    this.#rng = seed === null ? null : createRng(seed);
  }

  /** Augments `images` (`[batch, h, w, c]`, float32), drawing from `rng`. */
  protected abstract augment(images: tf.Tensor4D, rng: Rng): tf.Tensor;

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    checkImageBuildShape(layerLabel(this.#kind, this.name), inputShape, this.inputShape);
    return [...inputShape];
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const start = startAugmentation(layerLabel(this.#kind, this.name), this.builtShape, this.#rng, input, context);
    if ('output' in start) return start.output;
    const {single, rng} = start;
    return asBatch(input, single, (images) => this.augment(asFloat(images) as tf.Tensor4D, rng));
  }
}
