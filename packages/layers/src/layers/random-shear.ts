import type {Rng, Spec} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import * as affine from './base-affine-augmentation';

/** Options of {@link randomShear}. */
export type RandomShearOptions = affine.AffineAugmentationOptions & {
  /**
   * The horizontal shear factor (Keras `x_factor`): a number `f` in [0, 1]
   * draws factors in [-f, f], a pair [lower, upper] of numbers in [0, 1] in
   * [lower, upper]. Output pixel (x, y) reads the input at x + s·y. Default 0.
   */
  readonly xFactor?: affine.Factor;
  /** The vertical shear factor, likewise (Keras `y_factor`): output pixel (x, y) reads the input at y + s·x. Default 0. */
  readonly yFactor?: affine.Factor;
};

/** The names of {@link RandomShearOptions}: what {@link randomShear} accepts. */
const RANDOM_SHEAR_KEYS = reuseKeys<RandomShearOptions>()(['xFactor', 'yFactor', ...affine.AFFINE_AUGMENTATION_KEYS]);

/** The JSON config in a randomShear layer's spec (`trellis/randomShear`). */
export type RandomShearConfig = affine.FactorsConfig<'xFactor' | 'yFactor'>;

/** A randomShear layer: the {@link Layer} contract plus its options. */
export interface RandomShearLayer extends affine.FactorsLayer<RandomShearConfig, 'xFactor' | 'yFactor'> {
  /** The horizontal shear factor range, [lower, upper]. */
  readonly xRange: readonly [number, number];
  /** The vertical shear factor range, [lower, upper]. */
  readonly yRange: readonly [number, number];
}

/**
 * Randomly shears images in training (Keras 3 `RandomShear`): per image, a
 * horizontal factor `sx` uniform in `xFactor`'s range and a vertical one `sy`
 * in `yFactor`'s, both negated together with probability 1/2; output pixel
 * (x, y) (column, row, from the top-left corner) reads the input at
 * (x + sx·y, y + sy·x), the projective transform `[1, sx, 0, sy, 1, 0, 0, 0]`
 * Keras hands to `affine_transform`, resampled with `interpolation` and the
 * uncovered part filled by `fillMode` (default 'reflect'). Outside training it
 * is the identity.
 *
 * Shapes: `[batch, height, width, channels]` (channels last) → the same; a
 * single image `[height, width, channels]` is accepted too. No weights.
 * Output float32 (other dtypes are cast); gradients flow to the input.
 *
 * Randomness: one seed per training call, from the layer's `seed` stream when
 * set, else from `context.nextSeed()`; per image the sign, then `sx`, then
 * `sy` are drawn. The same seeds give the same shears.
 *
 * `call` returns a new tensor owned by the caller and disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for a factor out of [0, 1], an unknown fillMode or interpolation, or an invalid seed.
 * @throws ShapeError for inputs that are not `[batch, height, width, channels]`.
 */
export function randomShear(options: RandomShearOptions = {}): RandomShearLayer {
  return new RandomShear(knownOptions('randomShear', options, RANDOM_SHEAR_KEYS));
}

/** Keras' shear factor: a number `f` in [0, 1] is the range [-f, f]; a pair of numbers in [0, 1] is sorted. */
function shearFactor(option: string, value: unknown): ReturnType<typeof affine.readFactor> {
  const read = affine.readFactor('randomShear', option, value ?? 0, {min: 0, max: 1});
  if (typeof read.factor === 'number')
    return {factor: read.factor, range: Object.freeze([-read.range[1], read.range[1]] as [number, number])};
  return read;
}

class RandomShear extends affine.AffineAugmentation implements RandomShearLayer {
  readonly xFactor: affine.FactorValue;
  readonly yFactor: affine.FactorValue;
  readonly xRange: readonly [number, number];
  readonly yRange: readonly [number, number];

  constructor(options: RandomShearOptions) {
    super('randomShear', options);
    const x = shearFactor('xFactor', options.xFactor);
    const y = shearFactor('yFactor', options.yFactor);
    this.xFactor = x.factor;
    this.yFactor = y.factor;
    this.xRange = x.range;
    this.yRange = y.range;
  }

  get spec(): Spec<RandomShearConfig> {
    const {factorConfig} = affine;
    return {
      id: 'trellis/randomShear',
      config: {...this.baseConfig(), xFactor: factorConfig(this.xFactor), yFactor: factorConfig(this.yFactor)},
    };
  }

  protected transforms(rng: Rng, batch: number): number[][] {
    return Array.from({length: batch}, () => {
      const sign = rng.next() > 0.5 ? -1 : 1;
      const sx = Math.fround(affine.uniformIn(rng, this.xRange[0], this.xRange[1])) * sign;
      const sy = Math.fround(affine.uniformIn(rng, this.yRange[0], this.yRange[1])) * sign;
      return [1, sx, 0, sy, 1, 0, 0, 0];
    });
  }
}
