import type {Rng, Spec} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import * as affine from './base-affine-augmentation';

/** Options of {@link randomTranslation}. */
export type RandomTranslationOptions = affine.AffineAugmentationOptions & {
  /**
   * The vertical shift as a fraction of the height (Keras `height_factor`): a
   * number `f` in [-1, 1] draws shifts in [-|f|, |f|]·height, a pair [lower,
   * upper] of numbers in [-1, 1] in [lower, upper]·height. Positive shifts move
   * the content down. Required.
   */
  readonly heightFactor: affine.Factor;
  /** The horizontal shift as a fraction of the width, likewise (Keras `width_factor`); positive moves right. Required. */
  readonly widthFactor: affine.Factor;
};

/** The names of {@link RandomTranslationOptions}: what {@link randomTranslation} accepts. */
const RANDOM_TRANSLATION_KEYS = reuseKeys<RandomTranslationOptions>()(['heightFactor', 'widthFactor', ...affine.AFFINE_AUGMENTATION_KEYS]);

/** The JSON config in a randomTranslation layer's spec (`trellis/randomTranslation`). */
export type RandomTranslationConfig = affine.FactorsConfig<'heightFactor' | 'widthFactor'>;

/** A randomTranslation layer: the {@link Layer} contract plus its options. */
export interface RandomTranslationLayer extends affine.FactorsLayer<RandomTranslationConfig, 'heightFactor' | 'widthFactor'> {
  /** The vertical shift range as fractions of the height, [lower, upper]. */
  readonly heightRange: readonly [number, number];
  /** The horizontal shift range as fractions of the width, [lower, upper]. */
  readonly widthRange: readonly [number, number];
}

/**
 * Randomly shifts images in training (Keras `RandomTranslation`): per image, a
 * vertical shift uniform in `heightFactor`'s range times the height and a
 * horizontal one in `widthFactor`'s range times the width (in pixels, not
 * rounded), resampled with `interpolation` and the uncovered part filled by
 * `fillMode` (default 'reflect'). Outside training it is the identity.
 *
 * Shapes: `[batch, height, width, channels]` (channels last) → the same; a
 * single image `[height, width, channels]` is accepted too. No weights.
 * Output float32 (other dtypes are cast); gradients flow to the input.
 *
 * Randomness: one seed per training call, from the layer's `seed` stream when
 * set, else from `context.nextSeed()`; the same seeds give the same shifts.
 *
 * `call` returns a new tensor owned by the caller and disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for a factor out of [-1, 1], an unknown fillMode or interpolation, or an invalid seed.
 * @throws ShapeError for inputs that are not `[batch, height, width, channels]`.
 */
export function randomTranslation(options: RandomTranslationOptions): RandomTranslationLayer {
  return new RandomTranslation(knownOptions('randomTranslation', options, RANDOM_TRANSLATION_KEYS));
}

class RandomTranslation extends affine.AffineAugmentation implements RandomTranslationLayer {
  readonly heightFactor: affine.FactorValue;
  readonly widthFactor: affine.FactorValue;
  readonly heightRange: readonly [number, number];
  readonly widthRange: readonly [number, number];

  constructor(options: RandomTranslationOptions) {
    super('randomTranslation', options);
    const bounds = {min: -1, max: 1};
    const height = affine.readFactor('randomTranslation', 'heightFactor', options.heightFactor, bounds);
    const width = affine.readFactor('randomTranslation', 'widthFactor', options.widthFactor, bounds);
    this.heightFactor = height.factor;
    this.widthFactor = width.factor;
    this.heightRange = height.range;
    this.widthRange = width.range;
  }

  get spec(): Spec<RandomTranslationConfig> {
    const {factorConfig} = affine;
    return {
      id: 'trellis/randomTranslation',
      config: {...this.baseConfig(), heightFactor: factorConfig(this.heightFactor), widthFactor: factorConfig(this.widthFactor)},
    };
  }

  protected transforms(rng: Rng, batch: number, height: number, width: number): number[][] {
    return Array.from({length: batch}, () => {
      const dy = Math.fround(Math.fround(affine.uniformIn(rng, this.heightRange[0], this.heightRange[1])) * height);
      const dx = Math.fround(Math.fround(affine.uniformIn(rng, this.widthRange[0], this.widthRange[1])) * width);
      return [1, 0, -dx, 0, 1, -dy, 0, 0];
    });
  }
}
