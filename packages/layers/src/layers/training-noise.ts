/**
 * The shared shell of the weightless layers that add randomness in training
 * only (spatial dropout, Gaussian noise and dropout, alpha dropout) (internal).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {StateError, createRng, type CallContext, type Json, type Layer, type Rng, type Shape, type Spec} from '@trellis/core';
import {reuseKeys} from '../option-keys';
import {checkBuildShape, checkCallShape, layerLabel} from './common';
import {seedOption} from './option-checks';
import {BASE_LAYER_KEYS, type BaseLayerOptions} from './elementwise-layer';
import {WeightlessLayerBase} from './weightless-layer';

/** Options every training-noise layer takes. */
export type TrainingNoiseOptions = BaseLayerOptions & {
  /**
   * Seed of this layer's own noise stream. Default: each call takes a seed
   * from the model's seeded stream (`context.nextSeed()`).
   */
  readonly seed?: number | null;
};

/** The names of {@link TrainingNoiseOptions}, for the option lists of the noise and spatial dropout layers. */
export const TRAINING_NOISE_KEYS = reuseKeys<TrainingNoiseOptions>()(['seed', ...BASE_LAYER_KEYS]);

/**
 * The start of a training-noise layer's `call`: checks that the layer was
 * built and that `input` is `[batch, ...built]` (errors name `label`). Returns
 * null outside training or when the layer is not `active` (the layer then
 * returns a new handle on the input), else this call's seed: the next of
 * `own` (the layer's seeded stream) or else of `context`.
 */
export function trainingSeed(
  label: string,
  built: Shape | null,
  input: tf.Tensor,
  context: CallContext,
  active: boolean,
  own: Rng | null,
): number | null {
  if (!built) throw new StateError(`${label} was called before it was built.`);
  checkCallShape(label, input.shape, built);
  if (!context.training || !active) return null;
  return own ? own.nextSeed() : context.nextSeed();
}

/**
 * Identity outside training (a new handle on the input's data) and when
 * `active` is false; in training, `noise(x, seed)` on the float32 input with
 * one seed per call, from the layer's `seed` stream or `context.nextSeed()`.
 */
export abstract class TrainingNoise<C extends Json> extends WeightlessLayerBase implements Layer<C> {
  readonly seed: number | null;
  readonly #kind: string;
  readonly #rng: Rng | null;

  constructor(kind: string, options: TrainingNoiseOptions) {
    super();
    this.#kind = kind;
    this.setIdentity(kind, options);
    this.seed = seedOption(kind, options.seed);
    this.#rng = this.seed === null ? null : createRng(this.seed);
  }

  abstract get spec(): Spec<C>;

  /** The layer's kind (`gaussianNoise`), as errors and the spec id name it. */
  protected get kind(): string {
    return this.#kind;
  }

  /** Whether the layer changes anything in training (false for rate or stddev 0). */
  protected abstract get active(): boolean;

  /** The training output for float32 `x`; runs inside `tf.tidy`. */
  protected abstract noise(x: tf.Tensor, seed: number): tf.Tensor;

  /** Extra checks of the input shape at build (rank); throws a `ShapeError` naming `label`. */
  protected checkShape(_label: string, _inputShape: Shape): void {}

  /** The spec config fields every training-noise layer has. */
  protected commonConfig(): {name: string; seed: number | null; inputShape?: number[]} {
    return {name: this.name, seed: this.seed, ...(this.inputShape ? {inputShape: [...this.inputShape]} : {})};
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = layerLabel(this.#kind, this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    this.checkShape(label, inputShape);
    return [...inputShape];
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const seed = trainingSeed(layerLabel(this.#kind, this.name), this.builtShape, input, context, this.active, this.#rng);
    if (seed === null) return tf.clone(input);
    return tf.tidy(() => this.noise(input.dtype === 'float32' ? input : tf.cast(input, 'float32'), seed));
  }
}
