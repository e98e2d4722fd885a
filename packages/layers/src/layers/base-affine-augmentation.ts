/**
 * What `randomRotation`, `randomTranslation` and `randomZoom` share: options,
 * build, and a training call that resamples each image through its own
 * affine transform (internal).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {createRng, type CallContext, type Rng, type Shape, optionKeys} from '@trellis/core';
import {checkInputShape, checkName, layerLabel} from './common';
import {
  asBatch,
  asFloat,
  checkImageBuildShape,
  fillModeOption,
  fillValueOption,
  interpolationOption,
  transformImages,
  type FillMode,
  type Interpolation,
} from './image-augmentation';
import {startAugmentation} from './augmentation-call';
import {seedOption} from './option-checks';
import {WeightlessLayerBase} from './weightless-layer';

/** Options every geometric augmentation layer takes (Keras arguments in camelCase). */
export type AffineAugmentationOptions = {
  /**
   * How points outside the image are filled (Keras `fill_mode`): 'reflect'
   * (default; `d c b a | a b c d | d c b a`), 'wrap' (`a b c d | a b c d`),
   * 'constant' (`fillValue`) or 'nearest' (the edge pixel).
   */
  readonly fillMode?: FillMode;
  /** 'bilinear' (default) or 'nearest'. */
  readonly interpolation?: Interpolation;
  /** The value outside the image with fillMode 'constant'. Default 0. */
  readonly fillValue?: number;
  /** Seed of this layer's own stream; default: one seed per call from `context.nextSeed()`. */
  readonly seed?: number | null;
  /** Input shape without the batch dimension, `[height, width, channels]`, for the first layer of a model. */
  readonly inputShape?: Shape;
  /** Unique within a model; empty (default) lets the model choose. */
  readonly name?: string;
};

/** The names of {@link AffineAugmentationOptions}, for the option lists of the affine augmentation layers. */
export const AFFINE_AUGMENTATION_KEYS = optionKeys<AffineAugmentationOptions>({
  fillMode: true,
  interpolation: true,
  fillValue: true,
  seed: true,
  inputShape: true,
  name: true,
});

/** The config entries every geometric augmentation layer's spec holds. */
export type AffineAugmentationConfig = {
  readonly name: string;
  readonly fillMode: FillMode;
  readonly interpolation: Interpolation;
  readonly fillValue: number;
  readonly seed: number | null;
  readonly inputShape?: readonly number[];
};

/** The base of the geometric augmentation layers; subclasses draw one transform per image. */
export abstract class AffineAugmentation extends WeightlessLayerBase {
  name: string;
  readonly inputShape?: Shape;
  readonly fillMode: FillMode;
  readonly interpolation: Interpolation;
  readonly fillValue: number;
  readonly seed: number | null;
  readonly #kind: string;
  #rng: Rng | null;

  constructor(kind: string, options: AffineAugmentationOptions) {
    super();
    this.#kind = kind;
    this.name = checkName(kind, options.name);
    const inputShape = checkInputShape(kind, options.inputShape);
    if (inputShape) this.inputShape = inputShape;
    this.fillMode = fillModeOption(kind, options.fillMode);
    this.interpolation = interpolationOption(kind, options.interpolation);
    this.fillValue = fillValueOption(kind, options.fillValue);
    this.seed = seedOption(kind, options.seed);
    this.#rng = this.seed === null ? null : createRng(this.seed);
  }

  /** The config entries of this base, for the subclass' spec. */
  protected baseConfig(): AffineAugmentationConfig {
    return {
      name: this.name,
      fillMode: this.fillMode,
      interpolation: this.interpolation,
      fillValue: this.fillValue,
      seed: this.seed,
      ...(this.inputShape ? {inputShape: [...this.inputShape]} : {}),
    };
  }

  /**
   * One projective transform `[a0, a1, a2, b0, b1, b2, c0, c1]` per image,
   * mapping output pixels to input points, drawn from `rng`.
   */
  protected abstract transforms(rng: Rng, batch: number, height: number, width: number): number[][];

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    checkImageBuildShape(layerLabel(this.#kind, this.name), inputShape, this.inputShape);
    return [...inputShape];
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const start = startAugmentation(layerLabel(this.#kind, this.name), this.builtShape, this.#rng, input, context);
    if ('output' in start) return start.output;
    const {single, rng} = start;
    return asBatch(input, single, (images) => {
      const [batch, height, width] = images.shape;
      const transforms = this.transforms(rng, batch, height, width);
      return transformImages(asFloat(images) as tf.Tensor4D, transforms, this.interpolation, this.fillMode, this.fillValue);
    });
  }
}

/** A draw uniform in [lower, upper] (exactly `lower` when they are equal). */
export function uniformIn(rng: Rng, lower: number, upper: number): number {
  return lower === upper ? lower : lower + (upper - lower) * rng.next();
}
