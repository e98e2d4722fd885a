import type {Rng, Spec} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import * as affine from './base-affine-augmentation';

/** Options of {@link randomRotation}. */
export type RandomRotationOptions = affine.AffineAugmentationOptions & {
  /**
   * The rotation range as a fraction of a full turn (Keras `factor`): a number
   * `f` in [-1, 1] draws angles in [-|f|·360°, |f|·360°], a pair [lower,
   * upper] of numbers in [-1, 1] draws them in [lower·360°, upper·360°].
   * Positive angles turn the image counter-clockwise. Required.
   */
  readonly factor: affine.Factor;
};

/** The names of {@link RandomRotationOptions}: what {@link randomRotation} accepts. */
const RANDOM_ROTATION_KEYS = reuseKeys<RandomRotationOptions>()(['factor', ...affine.AFFINE_AUGMENTATION_KEYS]);

/** The JSON config in a randomRotation layer's spec (`trellis/randomRotation`). */
export type RandomRotationConfig = affine.FactorsConfig<'factor'>;

/** A randomRotation layer: the {@link Layer} contract plus its options. */
export interface RandomRotationLayer extends affine.FactorsLayer<RandomRotationConfig, 'factor'> {
  /** The angle range in turns, [lower, upper]. */
  readonly range: readonly [number, number];
}

/**
 * Randomly rotates images about their centre in training (Keras
 * `RandomRotation`): one angle per image, uniform in the factor's range times
 * 360°, resampled with `interpolation` and the points from outside the image
 * filled by `fillMode` (default 'reflect'). Outside training it is the identity.
 *
 * Shapes: `[batch, height, width, channels]` (channels last) → the same; a
 * single image `[height, width, channels]` is accepted too. No weights.
 * Output float32 (other dtypes are cast); gradients flow to the input.
 *
 * Randomness: one seed per training call, from the layer's `seed` stream when
 * set, else from `context.nextSeed()`; the same seeds give the same angles.
 *
 * `call` returns a new tensor owned by the caller and disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for a factor out of [-1, 1], an unknown fillMode or interpolation, or an invalid seed.
 * @throws ShapeError for inputs that are not `[batch, height, width, channels]`.
 */
export function randomRotation(options: RandomRotationOptions): RandomRotationLayer {
  return new RandomRotation(knownOptions('randomRotation', options, RANDOM_ROTATION_KEYS));
}

class RandomRotation extends affine.AffineAugmentation implements RandomRotationLayer {
  readonly factor: affine.FactorValue;
  readonly range: readonly [number, number];

  constructor(options: RandomRotationOptions) {
    super('randomRotation', options);
    const {factor, range} = affine.readFactor('randomRotation', 'factor', options.factor, {min: -1, max: 1});
    this.factor = factor;
    this.range = range;
  }

  get spec(): Spec<RandomRotationConfig> {
    return {id: 'trellis/randomRotation', config: {...this.baseConfig(), factor: affine.factorConfig(this.factor)}};
  }

  protected transforms(rng: Rng, batch: number, height: number, width: number): number[][] {
    const cx = 0.5 * (width - 1);
    const cy = 0.5 * (height - 1);
    return Array.from({length: batch}, () => {
      const degrees = Math.fround(affine.uniformIn(rng, this.range[0] * 360, this.range[1] * 360));
      const radians = Math.fround(degrees * Math.fround(Math.PI / 180));
      const cos = Math.cos(radians);
      const sin = Math.sin(radians);
      return [cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos, 0, 0];
    });
  }
}
