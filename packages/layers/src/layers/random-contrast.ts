import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, type Rng, type Spec} from '@trellis/core';
import {knownOptions} from '../option-keys';
import * as color from './base-color-augmentation';
import {describeValue, factorOption, valueRangeOption} from './image-augmentation';

/** Options of {@link randomContrast}. */
export type RandomContrastOptions = color.ColorAugmentationOptions & {
  /**
   * The contrast range (Keras `factor`): the contrast factor is drawn uniform
   * in [1 − lower, 1 + upper]. A number `f` in [0, 1] gives lower = 0, upper =
   * f (as Keras 3 reads a single number: contrast in [1, 1 + f]); a pair of
   * numbers in [-1, 1], the second ≥ 0 (as Keras checks), is sorted into
   * [lower, upper], which must have lower + upper ≥ 0 (e.g. [0.2, 0.2] for
   * [0.8, 1.2], [-0.3, 0.3] for exactly 1.3). Required.
   */
  readonly factor: color.Factor;
};

/** The JSON config in a randomContrast layer's spec (`trellis/randomContrast`). */
export type RandomContrastConfig = color.ColorAugmentationConfig;

/** A randomContrast layer: the {@link Layer} contract plus its options. */
export interface RandomContrastLayer extends color.ColorAugmentationLayer<RandomContrastConfig> {
  /** [lower, upper]: contrast factors are drawn in [1 − lower, 1 + upper]. */
  readonly range: readonly [number, number];
}

/**
 * Randomly changes the contrast of images in training (Keras
 * `RandomContrast`): per image, a factor c uniform in [1 − lower, 1 + upper];
 * each channel becomes `(x − mean) · c + mean`, with the mean of that channel
 * over the image's pixels, then is clipped to `valueRange` (default [0, 255]).
 * Outside training it is the identity.
 *
 * Shapes: `[batch, height, width, channels]` (channels last) → the same; a
 * single image `[height, width, channels]` is accepted too. No weights.
 * Output float32 (other dtypes are cast).
 *
 * Randomness: one seed per training call, from the layer's `seed` stream when
 * set, else from `context.nextSeed()`; the same seeds give the same factors.
 *
 * `call` returns a new tensor owned by the caller and disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for a factor out of range, an invalid valueRange or seed.
 * @throws ShapeError for inputs that are not `[batch, height, width, channels]`.
 */
export function randomContrast(options: RandomContrastOptions): RandomContrastLayer {
  const checked = knownOptions('randomContrast', options, color.COLOR_FACTOR_KEYS);
  const factor =
    typeof checked.factor === 'number'
      ? factorOption('randomContrast', 'factor', checked.factor, {min: 0, max: 1})
      : factorOption('randomContrast', 'factor', checked.factor, {min: -1, max: 1});
  if (Array.isArray(checked.factor) && checked.factor[1] < 0) {
    throw new ConfigError(
      `randomContrast: the second entry of factor must be ≥ 0, as Keras requires; got ${describeValue(checked.factor)}.`,
    );
  }
  if (factor.lower + factor.upper < 0) {
    throw new ConfigError(
      `randomContrast: factor [${factor.lower}, ${factor.upper}] gives the empty contrast range ` +
        `[${1 - factor.lower}, ${1 + factor.upper}]; lower + upper must be ≥ 0.`,
    );
  }
  return new RandomContrast(checked, factor);
}

class RandomContrast extends color.ColorAugmentation implements RandomContrastLayer {
  constructor(options: RandomContrastOptions, factor: ReturnType<typeof factorOption>) {
    super('randomContrast', options, factor, valueRangeOption('randomContrast', options.valueRange, false));
  }

  get spec(): Spec<RandomContrastConfig> {
    return {id: 'trellis/randomContrast', config: this.config()};
  }

  protected adjust(images: tf.Tensor4D, rng: Rng): tf.Tensor {
    const contrast = color.perImage(rng, images.shape[0], 1 - this.range[0], 1 + this.range[1]);
    const mean = tf.mean(tf.mean(images, 1, true), 2, true);
    return tf.add(tf.mul(tf.sub(images, mean), contrast), mean);
  }
}
