import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, createRng, describe, type CallContext, type Rng, type Shape, type Spec, optionKeys} from '@trellis/core';
import {knownOptions} from '../option-keys';
import {layerLabel} from './common';
import {layerSpec} from './layer-spec';
import {asBatch, asFloat, checkImageBuildShape} from './image-augmentation';
import {startAugmentation} from './augmentation-call';
import {seedOption} from './option-checks';
import type {BaseLayerConfig} from './elementwise-layer';
import type {SymbolicLayer} from './symbolic-layer';
import {WeightlessLayerBase} from './weightless-layer';

/** Which flips {@link randomFlip} makes (Keras `mode`). */
export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';

const FLIP_MODES: readonly FlipMode[] = ['horizontal', 'vertical', 'horizontal_and_vertical'];

/** Options of {@link randomFlip}. */
export type RandomFlipOptions = {
  /**
   * 'horizontal' flips left-right, 'vertical' top-bottom, and
   * 'horizontal_and_vertical' (default) does both to the images it flips.
   */
  readonly mode?: FlipMode;
  /** Seed of this layer's own stream; default: one seed per call from `context.nextSeed()`. */
  readonly seed?: number | null;
  /** Input shape without the batch dimension, `[height, width, channels]`, for the first layer of a model. */
  readonly inputShape?: Shape;
  /** Unique within a model; empty (default) lets the model choose. */
  readonly name?: string;
};

/** The names of {@link RandomFlipOptions}: what {@link randomFlip} accepts. */
const RANDOM_FLIP_KEYS = optionKeys<RandomFlipOptions>({mode: true, seed: true, inputShape: true, name: true});

/** The JSON config in a randomFlip layer's spec (`trellis/randomFlip`). */
export type RandomFlipConfig = BaseLayerConfig & {
  readonly mode: FlipMode;
  readonly seed: number | null;
};

/** A randomFlip layer: the {@link Layer} contract plus its options. */
export interface RandomFlipLayer extends SymbolicLayer<RandomFlipConfig> {
  readonly mode: FlipMode;
  readonly seed: number | null;
}

/**
 * Randomly flips images in training (Keras `RandomFlip`). Each image of the
 * batch is flipped with probability 1/2 (one draw per image, u ≤ 0.5 as
 * Keras); with 'horizontal_and_vertical' a flipped image is flipped both ways
 * (a 180° rotation), as in Keras 3. Outside training it is the identity.
 *
 * Shapes: `[batch, height, width, channels]` (channels last) → the same; a
 * single image `[height, width, channels]` is accepted too. No weights.
 * Output float32 (other dtypes are cast).
 *
 * Randomness: one seed per training call, from the layer's `seed` stream when
 * set, else from `context.nextSeed()`; the same seeds give the same flips.
 *
 * `call` returns a new tensor owned by the caller and disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for an unknown `mode` or an invalid `seed`.
 * @throws ShapeError for inputs that are not `[batch, height, width, channels]`.
 */
export function randomFlip(options: RandomFlipOptions = {}): RandomFlipLayer {
  return new RandomFlip(knownOptions('randomFlip', options, RANDOM_FLIP_KEYS));
}

class RandomFlip extends WeightlessLayerBase implements RandomFlipLayer {
  readonly mode: FlipMode;
  readonly seed: number | null;
  #rng: Rng | null;

  constructor(options: RandomFlipOptions) {
    super();
    const mode = options.mode ?? 'horizontal_and_vertical';
    if (!FLIP_MODES.includes(mode)) {
      throw new ConfigError(`randomFlip: mode must be one of ${FLIP_MODES.map((m) => `'${m}'`).join(', ')}; got ${describe(mode)}.`);
    }
    this.setIdentity('randomFlip', options);
    this.mode = mode;
    this.seed = seedOption('randomFlip', options.seed);
    this.#rng = this.seed === null ? null : createRng(this.seed);
  }

  get spec(): Spec<RandomFlipConfig> {
    return layerSpec('trellis/randomFlip', this, {
      mode: this.mode,
      seed: this.seed,
    });
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    checkImageBuildShape(layerLabel('randomFlip', this.name), inputShape, this.inputShape);
    return [...inputShape];
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const start = startAugmentation(layerLabel('randomFlip', this.name), this.builtShape, this.#rng, input, context);
    if ('output' in start) return start.output;
    const {single, rng} = start;
    const axes = this.mode === 'horizontal' ? [2] : this.mode === 'vertical' ? [1] : [1, 2];
    return asBatch(input, single, (images) => {
      const x = asFloat(images);
      const flips = Array.from({length: x.shape[0]}, () => rng.next() <= 0.5);
      const mask = tf.broadcastTo(tf.tensor4d(flips, [flips.length, 1, 1, 1], 'bool'), x.shape);
      return tf.where(mask, tf.reverse(x, axes), x);
    });
  }
}
