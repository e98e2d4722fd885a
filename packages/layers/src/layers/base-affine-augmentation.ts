/**
 * What `randomRotation`, `randomTranslation` and `randomZoom` share: options,
 * build, and a training call that resamples each image through its own
 * affine transform (internal).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {type Json, type Rng, type Shape, optionKeys} from '@trellis/core';
import {
  factorOption,
  fillModeOption,
  fillValueOption,
  interpolationOption,
  transformImages,
  type FactorBounds,
  type FillMode,
  type Interpolation,
} from './image-augmentation';
import {ImageAugmentationLayer} from './augmentation-call';
import {seedOption} from './option-checks';
import type {BaseLayerConfig} from './elementwise-layer';
import type {SymbolicLayer} from './symbolic-layer';

export type {Factor} from './image-augmentation';

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
export type AffineAugmentationConfig = BaseLayerConfig & {
  readonly fillMode: FillMode;
  readonly interpolation: Interpolation;
  readonly fillValue: number;
  readonly seed: number | null;
};

/** A factor option as a layer holds it: the number, or the pair (frozen). */
export type FactorValue = number | readonly [number, number];

/** A factor option as a spec's config holds it. */
export type FactorConfig = number | [number, number];

/** The config of an affine augmentation layer with the factor options `K`. */
export type FactorsConfig<K extends string> = AffineAugmentationConfig & {readonly [P in K]: FactorConfig};

/** An affine augmentation layer with the config `C` and the factor options `K`: the {@link Layer} contract plus those factors. */
export type FactorsLayer<C extends Json, K extends string> = SymbolicLayer<C> & {readonly [P in K]: FactorValue};

/**
 * The factor option `option` of `kind`, checked by `factorOption` against
 * `bounds`: as given (frozen) and its range [lower, upper] (frozen).
 * @throws ConfigError for a factor out of `bounds`.
 */
export function readFactor(
  kind: string,
  option: string,
  value: unknown,
  bounds: FactorBounds,
): {readonly factor: FactorValue; readonly range: readonly [number, number]} {
  const {factor, lower, upper} = factorOption(kind, option, value, bounds);
  return {factor: typeof factor === 'number' ? factor : Object.freeze(factor), range: Object.freeze([lower, upper] as [number, number])};
}

/** A copy of the factor `f` for a spec's config. */
export function factorConfig(f: FactorValue): FactorConfig {
  return typeof f === 'number' ? f : ([...f] as [number, number]);
}

/** The base of the geometric augmentation layers; subclasses draw one transform per image. */
export abstract class AffineAugmentation extends ImageAugmentationLayer {
  readonly fillMode: FillMode;
  readonly interpolation: Interpolation;
  readonly fillValue: number;
  readonly seed: number | null;

  constructor(kind: string, options: AffineAugmentationOptions) {
    super(kind);
    this.setIdentity(kind, options);
    this.fillMode = fillModeOption(kind, options.fillMode);
    this.interpolation = interpolationOption(kind, options.interpolation);
    this.fillValue = fillValueOption(kind, options.fillValue);
    this.seed = seedOption(kind, options.seed);
    this.seedStream(this.seed);
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

  protected augment(images: tf.Tensor4D, rng: Rng): tf.Tensor {
    const [batch, height, width] = images.shape;
    return transformImages(images, this.transforms(rng, batch, height, width), this.interpolation, this.fillMode, this.fillValue);
  }
}

/** A draw uniform in [lower, upper] (exactly `lower` when they are equal). */
export function uniformIn(rng: Rng, lower: number, upper: number): number {
  return lower === upper ? lower : lower + (upper - lower) * rng.next();
}
