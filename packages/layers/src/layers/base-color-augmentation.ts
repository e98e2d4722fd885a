/**
 * What `randomContrast` and `randomBrightness` share: options, build, and a
 * training call that adjusts each image by one random amount (internal).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {type Rng, type Shape, optionKeys} from '@trellis/core';
import {type Factor, type FactorRange} from './image-augmentation';
import {reuseKeys} from '../option-keys';
import {ImageAugmentationLayer} from './augmentation-call';
import {seedOption} from './option-checks';
import type {BaseLayerConfig} from './elementwise-layer';
import type {SymbolicLayer} from './symbolic-layer';

export type {Factor} from './image-augmentation';

/** Options every color augmentation layer takes (Keras arguments in camelCase). */
export type ColorAugmentationOptions = {
  /**
   * The range of the pixel values, [low, high] (Keras `value_range`); outputs
   * are clipped to it. Default [0, 255].
   */
  readonly valueRange?: readonly [number, number];
  /** Seed of this layer's own stream; default: one seed per call from `context.nextSeed()`. */
  readonly seed?: number | null;
  /** Input shape without the batch dimension, `[height, width, channels]`, for the first layer of a model. */
  readonly inputShape?: Shape;
  /** Unique within a model; empty (default) lets the model choose. */
  readonly name?: string;
};

/** The names of {@link ColorAugmentationOptions}, for the option lists of the color augmentation layers. */
const COLOR_AUGMENTATION_KEYS = optionKeys<ColorAugmentationOptions>({valueRange: true, seed: true, inputShape: true, name: true});

/** The names of the options of every color augmentation layer: its `factor` and {@link ColorAugmentationOptions}. */
export const COLOR_FACTOR_KEYS = reuseKeys<ColorAugmentationOptions & {readonly factor: Factor}>()(['factor', ...COLOR_AUGMENTATION_KEYS]);

/** The config entries every color augmentation layer's spec holds. */
export type ColorAugmentationConfig = BaseLayerConfig & {
  readonly factor: number | [number, number];
  readonly valueRange: [number, number];
  readonly seed: number | null;
};

/** A color augmentation layer: the {@link Layer} contract plus its options. */
export interface ColorAugmentationLayer<C extends ColorAugmentationConfig> extends SymbolicLayer<C> {
  readonly factor: number | readonly [number, number];
  /** The factor's range, [lower, upper]. */
  readonly range: readonly [number, number];
  /** [low, high]. */
  readonly valueRange: readonly [number, number];
  readonly seed: number | null;
}

/** The base of the color augmentation layers; subclasses adjust a batch by one draw per image. */
export abstract class ColorAugmentation extends ImageAugmentationLayer {
  readonly factor: Factor;
  /** The factor's range, [lower, upper]. */
  readonly range: readonly [number, number];
  readonly valueRange: readonly [number, number];
  readonly seed: number | null;

  constructor(kind: string, options: ColorAugmentationOptions, factor: FactorRange, valueRange: [number, number]) {
    super(kind);
    this.setIdentity(kind, options);
    this.factor = typeof factor.factor === 'number' ? factor.factor : Object.freeze(factor.factor);
    this.range = Object.freeze([factor.lower, factor.upper] as [number, number]);
    this.valueRange = Object.freeze(valueRange);
    this.seed = seedOption(kind, options.seed);
    this.seedStream(this.seed);
  }

  /** The config of this layer's spec. */
  protected config(): ColorAugmentationConfig {
    return {
      name: this.name,
      factor: typeof this.factor === 'number' ? this.factor : [...this.factor],
      valueRange: [...this.valueRange],
      seed: this.seed,
      ...(this.inputShape ? {inputShape: [...this.inputShape]} : {}),
    };
  }

  /** Adjusts `images` (`[batch, h, w, c]`, float32), drawing one amount per image from `rng`; before clipping. */
  protected abstract adjust(images: tf.Tensor4D, rng: Rng): tf.Tensor;

  protected augment(images: tf.Tensor4D, rng: Rng): tf.Tensor {
    return tf.clipByValue(this.adjust(images, rng), this.valueRange[0], this.valueRange[1]);
  }
}

/** One float32 draw per image uniform in [lower, upper] (exactly `lower` when equal), as a `[batch, 1, 1, 1]` tensor. */
export function perImage(rng: Rng, batch: number, lower: number, upper: number): tf.Tensor4D {
  const values = Array.from({length: batch}, () => (lower === upper ? lower : lower + (upper - lower) * rng.next()));
  return tf.tensor4d(values, [batch, 1, 1, 1], 'float32');
}
