import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, describe, type Shape} from '@trellis/core';
import {softmax as softmaxActivation} from '../activations/softmax';
import type {Activation} from '../activations/types';
import {formatShape} from './common';
import {knownOptions, reuseKeys} from '../option-keys';
import {BASE_LAYER_KEYS, ElementwiseLayer, type BaseLayerConfig, type BaseLayerOptions} from './elementwise-layer';
import {type SymbolicLayer} from './symbolic-layer';

/** Options of {@link softmax} (`layers.softmax`). */
export type SoftmaxLayerOptions = BaseLayerOptions & {
  /**
   * The axis (or axes) normalized over, counted on the input including the
   * batch axis; negative counts from the end. Default -1 (Keras `axis=-1`).
   */
  readonly axis?: number | readonly number[];
};

/** The names of {@link SoftmaxLayerOptions}: what {@link softmax} accepts. */
const SOFTMAX_LAYER_KEYS = reuseKeys<SoftmaxLayerOptions>()(['axis', ...BASE_LAYER_KEYS]);

/** The JSON config in a softmax layer's spec (`trellis/softmax`; the old id `trellis/softmaxLayer` still loads). */
export type SoftmaxLayerConfig = BaseLayerConfig & {readonly axis: number | readonly number[]};

/** A softmax layer: the {@link Layer} contract plus its axis. */
export interface SoftmaxLayer extends SymbolicLayer<SoftmaxLayerConfig> {
  readonly axis: number | readonly number[];
}

/**
 * Keras `Softmax`, `layers.softmax` (`activations.softmax` is the activation):
 * `exp(x − max) / Σ exp(x − max)` along `axis`; with several axes, as Keras,
 * `exp(x − logSumExp(x, axes))`. No weights; output shape = input shape.
 * Keras' optional call-time `mask` is not supported. `call` returns a new
 * float32 tensor owned by the caller and disposes nothing; non-float32 inputs
 * are cast.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError if `axis` is not an integer or a non-empty array of distinct integers;
 *   ShapeError (in `build`) if it is out of range for the input.
 */
export function softmax(options: SoftmaxLayerOptions = {}): SoftmaxLayer {
  return new Softmax(knownOptions('softmax', options, SOFTMAX_LAYER_KEYS));
}

/**
 * The softmax layer under its former flat name (spec id `trellis/softmax`).
 *
 * @deprecated Use `layers.softmax` (the softmax layer; `softmax` is the activation) — removed in the next minor release.
 */
export const softmaxLayer: typeof softmax = softmax;

class Softmax extends ElementwiseLayer<SoftmaxLayerConfig> implements SoftmaxLayer {
  readonly axis: number | readonly number[];
  readonly #single: Activation | null;

  constructor(options: SoftmaxLayerOptions) {
    super('softmax', 'softmax', options);
    const axis = options.axis ?? -1;
    const valid = Array.isArray(axis) ? axis.length > 0 && axis.every((a) => Number.isInteger(a)) : Number.isInteger(axis);
    if (!valid) {
      throw new ConfigError(
        `softmax: axis must be an integer or a non-empty array of integers (-1 is the last axis); got ${describe(options.axis)}.`,
      );
    }
    this.axis = Array.isArray(axis) ? Object.freeze([...axis]) : axis;
    const single = Array.isArray(axis) ? (axis.length === 1 ? axis[0]! : null) : (axis as number);
    this.#single = single === null ? null : single === -1 ? softmaxActivation : softmaxActivation.with({axis: single});
  }

  protected ownConfig() {
    return {axis: Array.isArray(this.axis) ? [...this.axis] : this.axis};
  }

  protected override checkShape(label: string, inputShape: Shape): void {
    const rank = inputShape.length + 1;
    const axes = (Array.isArray(this.axis) ? this.axis : [this.axis]) as readonly number[];
    const resolved = axes.map((a) => (a < 0 ? a + rank : a));
    if (resolved.some((a) => a < 0 || a >= rank) || new Set(resolved).size !== resolved.length) {
      throw new ShapeError(
        `${label} normalizes along axis ${JSON.stringify(this.axis)}, which is out of range or repeated for ` +
          `inputs of shape [batch, ${formatShape(inputShape).slice(1)}; use distinct axes in [${-rank}, ${rank - 1}].`,
      );
    }
  }

  protected compute(x: tf.Tensor): tf.Tensor {
    if (this.#single) return this.#single(x);
    return tf.exp(tf.sub(x, tf.logSumExp(x, [...(this.axis as readonly number[])], true)));
  }
}
