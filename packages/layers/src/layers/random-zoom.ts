import type {Rng, Spec} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import {
  AFFINE_AUGMENTATION_KEYS,
  AffineAugmentation,
  uniformIn,
  type AffineAugmentationConfig,
  type AffineAugmentationOptions,
} from './base-affine-augmentation';
import {factorOption, type Factor} from './image-augmentation';
import {type SymbolicLayer} from './symbolic-layer';

/** Options of {@link randomZoom}. */
export type RandomZoomOptions = AffineAugmentationOptions & {
  /**
   * The vertical zoom (Keras `height_factor`): a number `f` in (-1, 1] draws
   * factors in [-|f|, |f|], a pair [lower, upper] of numbers in (-1, 1] in
   * [lower, upper]; the image is sampled over (1 + factor) times its height
   * about the centre, so a positive factor zooms out and a negative one zooms
   * in. Required.
   */
  readonly heightFactor: Factor;
  /**
   * The horizontal zoom, likewise (Keras `width_factor`). Default `null`: the
   * same factor as the height, which keeps the aspect ratio.
   */
  readonly widthFactor?: Factor | null;
};

/** The names of {@link RandomZoomOptions}: what {@link randomZoom} accepts. */
const RANDOM_ZOOM_KEYS = reuseKeys<RandomZoomOptions>()(['heightFactor', 'widthFactor', ...AFFINE_AUGMENTATION_KEYS]);

/** The JSON config in a randomZoom layer's spec (`trellis/randomZoom`). */
export type RandomZoomConfig = AffineAugmentationConfig & {
  readonly heightFactor: number | [number, number];
  readonly widthFactor: number | [number, number] | null;
};

/** A randomZoom layer: the {@link Layer} contract plus its options. */
export interface RandomZoomLayer extends SymbolicLayer<RandomZoomConfig> {
  readonly heightFactor: number | readonly [number, number];
  readonly widthFactor: number | readonly [number, number] | null;
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

class RandomZoom extends AffineAugmentation implements RandomZoomLayer {
  readonly heightFactor: number | readonly [number, number];
  readonly widthFactor: number | readonly [number, number] | null;
  readonly heightRange: readonly [number, number];
  readonly widthRange: readonly [number, number] | null;

  constructor(options: RandomZoomOptions) {
    super('randomZoom', options);
    const bounds = {min: -1, max: 1, minExclusive: true};
    const height = factorOption('randomZoom', 'heightFactor', options.heightFactor, bounds);
    this.heightFactor = typeof height.factor === 'number' ? height.factor : Object.freeze(height.factor);
    this.heightRange = Object.freeze([height.lower, height.upper] as [number, number]);
    if (options.widthFactor === undefined || options.widthFactor === null) {
      this.widthFactor = null;
      this.widthRange = null;
    } else {
      const width = factorOption('randomZoom', 'widthFactor', options.widthFactor, bounds);
      this.widthFactor = typeof width.factor === 'number' ? width.factor : Object.freeze(width.factor);
      this.widthRange = Object.freeze([width.lower, width.upper] as [number, number]);
    }
  }

  get spec(): Spec<RandomZoomConfig> {
    const copy = (f: number | readonly [number, number]) => (typeof f === 'number' ? f : ([...f] as [number, number]));
    return {
      id: 'trellis/randomZoom',
      config: {
        ...this.baseConfig(),
        heightFactor: copy(this.heightFactor),
        widthFactor: this.widthFactor === null ? null : copy(this.widthFactor),
      },
    };
  }

  protected transforms(rng: Rng, batch: number, height: number, width: number): number[][] {
    return Array.from({length: batch}, () => {
      const zy = Math.fround(uniformIn(rng, 1 + this.heightRange[0], 1 + this.heightRange[1]));
      const zx = this.widthRange ? Math.fround(uniformIn(rng, 1 + this.widthRange[0], 1 + this.widthRange[1])) : zy;
      return [zx, 0, ((width - 1) / 2) * (1 - zx), 0, zy, ((height - 1) / 2) * (1 - zy), 0, 0];
    });
  }
}
