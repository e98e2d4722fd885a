import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, createRng, describe, type CallContext, type Rng, type Shape, type Spec, optionKeys} from '@trellis/core';
import {knownOptions} from '../option-keys';
import {layerLabel} from './common';
import {layerSpec} from './layer-spec';
import {asBatch, asFloat, checkImageBuildShape, transformImages} from './image-augmentation';
import {startAugmentation} from './augmentation-call';
import {seedOption} from './option-checks';
import type {BaseLayerConfig} from './elementwise-layer';
import type {SymbolicLayer} from './symbolic-layer';
import {WeightlessLayerBase} from './weightless-layer';

/** Options of {@link randomCrop}. */
export type RandomCropOptions = {
  /** Height of the crop, in pixels. Required. */
  readonly height: number;
  /** Width of the crop, in pixels. Required. */
  readonly width: number;
  /** Seed of this layer's own stream; default: one seed per call from `context.nextSeed()`. */
  readonly seed?: number | null;
  /** Input shape without the batch dimension, `[height, width, channels]`, for the first layer of a model. */
  readonly inputShape?: Shape;
  /** Unique within a model; empty (default) lets the model choose. */
  readonly name?: string;
};

/** The names of {@link RandomCropOptions}: what {@link randomCrop} accepts. */
const RANDOM_CROP_KEYS = optionKeys<RandomCropOptions>({height: true, width: true, seed: true, inputShape: true, name: true});

/** The JSON config in a randomCrop layer's spec (`trellis/randomCrop`). */
export type RandomCropConfig = BaseLayerConfig & {
  readonly height: number;
  readonly width: number;
  readonly seed: number | null;
};

/** A randomCrop layer: the {@link Layer} contract plus its options. */
export interface RandomCropLayer extends SymbolicLayer<RandomCropConfig> {
  readonly height: number;
  readonly width: number;
  readonly seed: number | null;
}

/**
 * Crops images to `height` × `width` at a random place in training, as Keras
 * 3 `RandomCrop` does:
 *
 * - when the images are larger than the crop in both height and width, one
 *   top-left corner is drawn per call (the same for every image of the batch),
 *   uniform over the valid positions;
 * - otherwise the crop is deterministic: its start is that of the largest
 *   centred window with the crop's aspect ratio, the window
 *   `[start, start + height) × [start, start + width)` is cut (clipped to the
 *   image) and, when smaller than the crop, resized up to it with bilinear
 *   interpolation (half-pixel centres).
 *
 * Outside training the images pass through unchanged, uncropped — Keras 3.15
 * does the same, although the layer's output shape is the cropped one — so a
 * model that predicts with this layer needs layers after it that accept the
 * full size.
 *
 * Shapes: `[batch, h, w, channels]` (channels last) → `[batch, height, width,
 * channels]` in training; a single image `[h, w, channels]` is accepted too.
 * No weights. Output float32 (other dtypes are cast).
 *
 * Randomness: one seed per training call, from the layer's `seed` stream when
 * set, else from `context.nextSeed()`; the same seeds give the same crops.
 *
 * `call` returns a new tensor owned by the caller and disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError if `height` or `width` is not a positive integer, or `seed` is invalid.
 * @throws ShapeError for inputs that are not `[batch, h, w, channels]`.
 */
export function randomCrop(options: RandomCropOptions): RandomCropLayer {
  return new RandomCrop(knownOptions('randomCrop', options, RANDOM_CROP_KEYS));
}

class RandomCrop extends WeightlessLayerBase implements RandomCropLayer {
  readonly height: number;
  readonly width: number;
  readonly seed: number | null;
  #rng: Rng | null;

  constructor(options: RandomCropOptions) {
    super();
    for (const option of ['height', 'width'] as const) {
      const value = options[option];
      if (!Number.isInteger(value) || value <= 0) {
        throw new ConfigError(`randomCrop: ${option} must be a positive integer (the crop's size in pixels); got ${describe(value)}.`);
      }
    }
    this.setIdentity('randomCrop', options);
    this.height = options.height;
    this.width = options.width;
    this.seed = seedOption('randomCrop', options.seed);
    this.#rng = this.seed === null ? null : createRng(this.seed);
  }

  get spec(): Spec<RandomCropConfig> {
    return layerSpec('trellis/randomCrop', this, {
      height: this.height,
      width: this.width,
      seed: this.seed,
    });
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    checkImageBuildShape(layerLabel('randomCrop', this.name), inputShape, this.inputShape);
    return [this.height, this.width, inputShape[2]!];
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const start = startAugmentation(layerLabel('randomCrop', this.name), this.builtShape, this.#rng, input, context);
    if ('output' in start) return start.output;
    const {single, rng} = start;
    const [rowStart, colStart] = this.#start(rng);
    return asBatch(input, single, (images) => {
      const [, inHeight, inWidth] = images.shape;
      const rows = Math.min(this.height, inHeight - rowStart);
      const cols = Math.min(this.width, inWidth - colStart);
      const crop = tf.slice(asFloat(images), [0, rowStart, colStart, 0], [-1, rows, cols, -1]) as tf.Tensor4D;
      if (rows === this.height && cols === this.width) return crop;
      // Bilinear resize with half-pixel centres, edge pixels repeated (as jax.image.resize when enlarging).
      const [sx, sy] = [cols / this.width, rows / this.height];
      const scale = [sx, 0, 0.5 * sx - 0.5, 0, sy, 0.5 * sy - 0.5, 0, 0];
      const transforms = Array.from({length: crop.shape[0]}, () => scale);
      return transformImages(crop, transforms, 'bilinear', 'nearest', 0, [this.height, this.width]);
    });
  }

  /** The crop's top-left corner [row, column] for this call. */
  #start(rng: Rng): [number, number] {
    const [inHeight, inWidth] = this.builtShape!;
    const {height, width} = this;
    if (inHeight! > height && inWidth! > width) {
      const row = Math.min(Math.trunc(rng.next() * (inHeight! - height + 1)), inHeight! - height);
      const col = Math.min(Math.trunc(rng.next() * (inWidth! - width + 1)), inWidth! - width);
      return [row, col];
    }
    const cropHeight = Math.max(Math.min(inHeight!, Math.trunc((inWidth! * height) / width)), 1);
    const cropWidth = Math.max(Math.min(inWidth!, Math.trunc((inHeight! * width) / height)), 1);
    return [Math.trunc((inHeight! - cropHeight) / 2), Math.trunc((inWidth! - cropWidth) / 2)];
  }
}
