import type {Rng, Spec} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import * as affine from './base-affine-augmentation';

/** Options of {@link randomZoom}. */
export type RandomZoomOptions = affine.AffineAugmentationOptions & {
  /**
   * The vertical zoom (Keras `height_factor`): a number `f` in (-1, 1] draws
   * factors in [-|f|, |f|], a pair [lower, upper] of numbers in (-1, 1] in
   * [lower, upper]; the image is sampled over (1 + factor) times its height
   * about the centre, so a positive factor zooms out and a negative one zooms
   * in. Required.
   */
  readonly heightFactor: affine.Factor;
  /**
   * The horizontal zoom, likewise (Keras `width_factor`). Default `null`: the
   * same factor as the height, which keeps the aspect ratio.
   */
  readonly widthFactor?: affine.Factor | null;
};

/** The names of {@link RandomZoomOptions}: what {@link randomZoom} accepts. */
const RANDOM_ZOOM_KEYS = reuseKeys<RandomZoomOptions>()(['heightFactor', 'widthFactor', ...affine.AFFINE_AUGMENTATION_KEYS]);

/** The JSON config in a randomZoom layer's spec (`trellis/randomZoom`). */
export type RandomZoomConfig = affine.FactorsConfig<'heightFactor'> & {readonly widthFactor: affine.FactorConfig | null};

/** A randomZoom layer: the {@link Layer} contract plus its options. */
export interface RandomZoomLayer extends affine.FactorsLayer<RandomZoomConfig, 'heightFactor'> {
  readonly widthFactor: affine.FactorValue | null;
  /** The vertical zoom factor range, [lower, upper]. */
  readonly heightRange: readonly [number, number];
  /** The horizontal zoom factor range, [lower, upper]; `null` when it follows the height. */
  readonly widthRange: readonly [number, number] | null;
}

/**
 * Randomly zooms images in or out about their centre in training (Keras
 * `RandomZoom`): per image, a vertical scale 1 + h with h uniform in
 * `heightFactor`'s range and a horizontal one 1 + w (w drawn from
 * `widthFactor`'s range, or w = h without it); output pixel (x, y) samples
 * the input at (c_x + (1 + w)(x − c_x), c_y + (1 + h)(y − c_y)) around the
 * centre c, with `interpolation`, and points outside the image filled by
 * `fillMode` (default 'reflect'). Outside training it is the identity.
 *
 * Shapes: `[batch, height, width, channels]` (channels last) → the same; a
 * single image `[height, width, channels]` is accepted too. No weights.
 * Output float32 (other dtypes are cast); gradients flow to the input.
 *
 * Randomness: one seed per training call, from the layer's `seed` stream when
 * set, else from `context.nextSeed()`; the same seeds give the same zooms.
 *
 * `call` returns a new tensor owned by the caller and disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for a factor out of (-1, 1], an unknown fillMode or interpolation, or an invalid seed.
 * @throws ShapeError for inputs that are not `[batch, height, width, channels]`.
 */
export function randomZoom(options: RandomZoomOptions): RandomZoomLayer {
  return new RandomZoom(knownOptions('randomZoom', options, RANDOM_ZOOM_KEYS));
}

class RandomZoom extends affine.AffineAugmentation implements RandomZoomLayer {
  readonly heightFactor: affine.FactorValue;
  readonly widthFactor: affine.FactorValue | null;
  readonly heightRange: readonly [number, number];
  readonly widthRange: readonly [number, number] | null;

  constructor(options: RandomZoomOptions) {
    super('randomZoom', options);
    const bounds = {min: -1, max: 1, minExclusive: true};
    const height = affine.readFactor('randomZoom', 'heightFactor', options.heightFactor, bounds);
    this.heightFactor = height.factor;
    this.heightRange = height.range;
    if (options.widthFactor === undefined || options.widthFactor === null) {
      this.widthFactor = null;
      this.widthRange = null;
    } else {
      const width = affine.readFactor('randomZoom', 'widthFactor', options.widthFactor, bounds);
      this.widthFactor = width.factor;
      this.widthRange = width.range;
    }
  }

  get spec(): Spec<RandomZoomConfig> {
    const {factorConfig} = affine;
    return {
      id: 'trellis/randomZoom',
      config: {
        ...this.baseConfig(),
        heightFactor: factorConfig(this.heightFactor),
        widthFactor: this.widthFactor === null ? null : factorConfig(this.widthFactor),
      },
    };
  }

  protected transforms(rng: Rng, batch: number, height: number, width: number): number[][] {
    return Array.from({length: batch}, () => {
      const zy = Math.fround(affine.uniformIn(rng, 1 + this.heightRange[0], 1 + this.heightRange[1]));
      const zx = this.widthRange ? Math.fround(affine.uniformIn(rng, 1 + this.widthRange[0], 1 + this.widthRange[1])) : zy;
      return [zx, 0, ((width - 1) / 2) * (1 - zx), 0, zy, ((height - 1) / 2) * (1 - zy), 0, 0];
    });
  }
}
