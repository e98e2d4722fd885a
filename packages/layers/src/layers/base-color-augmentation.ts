/**
 * What `randomContrast` and `randomBrightness` share: options, build, and a
 * training call that adjusts each image by one random amount (internal).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {createRng, type CallContext, type Rng, type Shape, optionKeys} from '@trellis/core';
import {checkInputShape, checkName, layerLabel} from './common';
import {asBatch, asFloat, checkImageBuildShape, type Factor, type FactorRange} from './image-augmentation';
import {startAugmentation} from './augmentation-call';
import {seedOption} from './option-checks';
import type {SymbolicLayer} from './symbolic-layer';
import {WeightlessLayerBase} from './weightless-layer';

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
export const COLOR_AUGMENTATION_KEYS = optionKeys<ColorAugmentationOptions>({valueRange: true, seed: true, inputShape: true, name: true});

/** The config entries every color augmentation layer's spec holds. */
export type ColorAugmentationConfig = {
  readonly name: string;
  readonly factor: number | [number, number];
  readonly valueRange: [number, number];
  readonly seed: number | null;
  readonly inputShape?: readonly number[];
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
export abstract class ColorAugmentation extends WeightlessLayerBase {
  name: string;
  readonly inputShape?: Shape;
  readonly factor: Factor;
  /** The factor's range, [lower, upper]. */
  readonly range: readonly [number, number];
  readonly valueRange: readonly [number, number];
  readonly seed: number | null;
  readonly #kind: string;
  #rng: Rng | null;

  constructor(kind: string, options: ColorAugmentationOptions, factor: FactorRange, valueRange: [number, number]) {
    super();
    this.#kind = kind;
    this.name = checkName(kind, options.name);
    const inputShape = checkInputShape(kind, options.inputShape);
    if (inputShape) this.inputShape = inputShape;
    this.factor = typeof factor.factor === 'number' ? factor.factor : Object.freeze(factor.factor);
    this.range = Object.freeze([factor.lower, factor.upper] as [number, number]);
    this.valueRange = Object.freeze(valueRange);
    this.seed = seedOption(kind, options.seed);
    this.#rng = this.seed === null ? null : createRng(this.seed);
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

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    checkImageBuildShape(layerLabel(this.#kind, this.name), inputShape, this.inputShape);
    return [...inputShape];
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const start = startAugmentation(layerLabel(this.#kind, this.name), this.builtShape, this.#rng, input, context);
    if ('output' in start) return start.output;
    const {single, rng} = start;
    return asBatch(input, single, (images) =>
      tf.clipByValue(this.adjust(asFloat(images) as tf.Tensor4D, rng), this.valueRange[0], this.valueRange[1]),
    );
  }
}

/** One float32 draw per image uniform in [lower, upper] (exactly `lower` when equal), as a `[batch, 1, 1, 1]` tensor. */
export function perImage(rng: Rng, batch: number, lower: number, upper: number): tf.Tensor4D {
  const values = Array.from({length: batch}, () => (lower === upper ? lower : lower + (upper - lower) * rng.next()));
  return tf.tensor4d(values, [batch, 1, 1, 1], 'float32');
}
