import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, createRng, describe, type CallContext, type Rng, type Shape, type Spec} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import {checkBuildShape, formatShape, layerLabel} from './common';
import {layerSpec} from './layer-spec';
import {BASE_LAYER_KEYS, type BaseLayerConfig, type BaseLayerOptions} from './elementwise-layer';
import type {SymbolicLayer} from './symbolic-layer';
import {WeightlessLayerBase} from './weightless-layer';
import {trainingSeed} from './training-noise';

/** Options of {@link dropout}. */
export type DropoutOptions = BaseLayerOptions & {
  /** Fraction of inputs to drop, in [0, 1). Required (Keras `rate`). */
  readonly rate: number;
  /**
   * Shape of the keep/drop mask, including the batch dimension, broadcast
   * against the input; `null` entries take the input's size (Keras
   * `noise_shape`). E.g. `[null, 1, null]` drops whole time steps' features
   * alike. Default: the input's shape.
   */
  readonly noiseShape?: readonly (number | null)[] | null;
  /**
   * Seed of this layer's own mask stream. Default: each call takes a seed from
   * the model's seeded stream (`context.nextSeed()`), so `setSeed()` makes runs
   * reproducible either way.
   */
  readonly seed?: number | null;
};

/** The names of {@link DropoutOptions}: what {@link dropout} accepts. */
const DROPOUT_KEYS = reuseKeys<DropoutOptions>()(['rate', 'noiseShape', 'seed', ...BASE_LAYER_KEYS]);

/** The JSON config in a dropout layer's spec (`trellis/dropout`). */
export type DropoutConfig = BaseLayerConfig & {
  readonly rate: number;
  readonly noiseShape: readonly (number | null)[] | null;
  readonly seed: number | null;
};

/** A dropout layer: the {@link Layer} contract plus its options. */
export interface DropoutLayer extends SymbolicLayer<DropoutConfig> {
  readonly rate: number;
  readonly noiseShape: readonly (number | null)[] | null;
  readonly seed: number | null;
}

/**
 * Inverted dropout (Keras `Dropout`): in training, zeroes each input with
 * probability `rate` and scales the kept ones by `1 / (1 - rate)`, so the
 * expected activation is unchanged and inference needs no rescaling. Outside
 * training (`context.training === false`) or with `rate: 0` it is the
 * identity. No weights; output shape = input shape.
 *
 * The mask is a new random draw on every call. Its seed comes from the
 * layer's `seed` stream when set, else from `context.nextSeed()`: the same
 * seeds give the same masks (bit-identical on the cpu backend).
 *
 * `call` returns a new tensor owned by the caller (in inference, a handle
 * sharing the input's data) and disposes nothing; int32 inputs are cast to
 * float32 in training.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError if `rate` is not in [0, 1), or `noiseShape`/`seed` are invalid.
 */
export function dropout(options: DropoutOptions): DropoutLayer {
  return new Dropout(knownOptions('dropout', options, DROPOUT_KEYS));
}

class Dropout extends WeightlessLayerBase implements DropoutLayer {
  readonly rate: number;
  readonly noiseShape: readonly (number | null)[] | null;
  readonly seed: number | null;
  #rng: Rng | null;

  constructor(options: DropoutOptions) {
    super();
    const {rate} = options;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new ConfigError(`dropout: rate must be a number in [0, 1) (the fraction of inputs to drop); got ${describe(rate)}.`);
    }
    const noiseShape = options.noiseShape ?? null;
    if (noiseShape !== null && (!Array.isArray(noiseShape) || !noiseShape.every((d) => d === null || (Number.isInteger(d) && d > 0)))) {
      throw new ConfigError(
        'dropout: noiseShape must be an array of positive integers or nulls, including the batch dimension ' +
          `(e.g. [null, 1, null]); got ${describe(noiseShape)}.`,
      );
    }
    const seed = options.seed ?? null;
    if (seed !== null && (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)) {
      throw new ConfigError(`dropout: seed must be an integer in [0, 2^32); got ${describe(seed)}.`);
    }
    this.setIdentity('dropout', options);
    this.rate = rate;
    this.noiseShape = noiseShape && Object.freeze([...noiseShape]);
    this.seed = seed;
    this.#rng = seed === null ? null : createRng(seed);
  }

  get spec(): Spec<DropoutConfig> {
    return layerSpec('trellis/dropout', this, {
      rate: this.rate,
      noiseShape: this.noiseShape && [...this.noiseShape],
      seed: this.seed,
    });
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = layerLabel('dropout', this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    const noise = this.noiseShape;
    if (noise) {
      const fits =
        noise.length === inputShape.length + 1 &&
        inputShape.every((d, i) => noise[i + 1] === null || noise[i + 1] === 1 || noise[i + 1] === d);
      if (!fits) {
        throw new ShapeError(
          `${label} has noiseShape ${formatShape(noise)}, which does not broadcast against inputs of shape ` +
            `[batch, ${inputShape.join(', ')}]: give one entry per axis including the batch, each null, 1 or the ` +
            'input size.',
        );
      }
    }
    return [...inputShape];
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const label = layerLabel('dropout', this.name);
    const seed = trainingSeed(label, this.builtShape, input, context, this.rate !== 0, this.#rng);
    if (seed === null) return tf.clone(input);
    const batch = input.shape[0]!;
    if (this.noiseShape && this.noiseShape[0] !== null && this.noiseShape[0] !== 1 && this.noiseShape[0] !== batch) {
      throw new ShapeError(
        `${label} has noiseShape ${formatShape(this.noiseShape)}, whose batch entry does not match the batch ` +
          `size ${batch}; use null or 1 there.`,
      );
    }
    const maskShape = this.noiseShape ? this.noiseShape.map((d, i) => d ?? input.shape[i]!) : input.shape;
    return tf.tidy(() => {
      const x = input.dtype === 'float32' ? input : tf.cast(input, 'float32');
      // keep ⇔ u ≥ rate, so P(keep) = 1 - rate; the scale is folded into the mask (one multiply of x).
      const keep = tf.cast(tf.greaterEqual(tf.randomUniform(maskShape, 0, 1, 'float32', seed), this.rate), 'float32');
      return tf.mul(x, tf.mul(keep, 1 / (1 - this.rate)));
    });
  }
}
