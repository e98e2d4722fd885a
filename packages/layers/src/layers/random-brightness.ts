import * as tf from '@tensorflow/tfjs-core';
import {type Rng, type Spec} from '@trellis/core';
import {knownOptions} from '../option-keys';
import * as color from './base-color-augmentation';
import {factorOption, valueRangeOption} from './image-augmentation';

/** Options of {@link randomBrightness}. */
export type RandomBrightnessOptions = color.ColorAugmentationOptions & {
  /**
   * The brightness shift as a fraction of the value range (Keras `factor`): a
   * number `f` in [-1, 1] draws shifts in [-|f|, |f|], a pair [lower, upper]
   * of numbers in [-1, 1] in [lower, upper]; the shift added is that times
   * `valueRange[1] − valueRange[0]`. Required.
   */
  readonly factor: color.Factor;
};

/** The JSON config in a randomBrightness layer's spec (`trellis/randomBrightness`). */
export type RandomBrightnessConfig = color.ColorAugmentationConfig;

/** A randomBrightness layer: the {@link Layer} contract plus its options. */
export interface RandomBrightnessLayer extends color.ColorAugmentationLayer<RandomBrightnessConfig> {
  /** The shift range as fractions of the value range, [lower, upper]. */
  readonly range: readonly [number, number];
  /** [low, high], sorted. */
  readonly valueRange: readonly [number, number];
}

/**
 * Randomly brightens or darkens images in training (Keras
 * `RandomBrightness`): per image, adds d · (high − low) with d uniform in the
 * factor's range to every pixel and channel, then clips to `valueRange` =
 * [low, high] (default [0, 255]; given in either order, as Keras sorts it).
 * Outside training it is the identity.
 *
 * Shapes: `[batch, height, width, channels]` (channels last) → the same; a
 * single image `[height, width, channels]` is accepted too. No weights.
 * Output float32 (other dtypes are cast).
 *
 * Randomness: one seed per training call, from the layer's `seed` stream when
 * set, else from `context.nextSeed()`; the same seeds give the same shifts.
 *
 * `call` returns a new tensor owned by the caller and disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for a factor out of [-1, 1], an invalid valueRange or seed.
 * @throws ShapeError for inputs that are not `[batch, height, width, channels]`.
 */
export function randomBrightness(options: RandomBrightnessOptions): RandomBrightnessLayer {
  return new RandomBrightness(knownOptions('randomBrightness', options, color.COLOR_FACTOR_KEYS));
}

class RandomBrightness extends color.ColorAugmentation implements RandomBrightnessLayer {
  constructor(options: RandomBrightnessOptions) {
    super(
      'randomBrightness',
      options,
      factorOption('randomBrightness', 'factor', options.factor, {min: -1, max: 1}),
      valueRangeOption('randomBrightness', options.valueRange, true),
    );
  }

  get spec(): Spec<RandomBrightnessConfig> {
    return {id: 'trellis/randomBrightness', config: this.config()};
  }

  protected adjust(images: tf.Tensor4D, rng: Rng): tf.Tensor {
    const scale = this.valueRange[1] - this.valueRange[0];
    return tf.add(images, tf.mul(color.perImage(rng, images.shape[0], this.range[0], this.range[1]), scale));
  }
}
