import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, describe} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import {BASE_LAYER_KEYS, ElementwiseLayer, type BaseLayerConfig, type BaseLayerOptions} from './elementwise-layer';
import {type SymbolicLayer} from './symbolic-layer';

/** Options of {@link relu} (`layers.relu`). */
export type ReLUOptions = BaseLayerOptions & {
  /** Largest output, ≥ 0; `null` (default) for none (Keras `max_value=None`). */
  readonly maxValue?: number | null;
  /** Slope below the threshold, ≥ 0. Default 0 (Keras `negative_slope=0.0`). */
  readonly negativeSlope?: number;
  /** Inputs at or below it are damped, ≥ 0. Default 0 (Keras `threshold=0.0`). */
  readonly threshold?: number;
};

/** The names of {@link ReLUOptions}: what {@link relu} accepts. */
const RELU_LAYER_KEYS = reuseKeys<ReLUOptions>()(['maxValue', 'negativeSlope', 'threshold', ...BASE_LAYER_KEYS]);

/** The JSON config in a ReLU layer's spec (`trellis/relu`; the old id `trellis/reLU` still loads). */
export type ReLUConfig = BaseLayerConfig & {
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;
};

/** A ReLU layer: the {@link Layer} contract plus its options. */
export interface ReLULayer extends SymbolicLayer<ReLUConfig> {
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;
}

/**
 * Keras `ReLU`, `layers.relu` (`activations.relu` is the activation),
 * computed as Keras does:
 * `min(x, maxValue)` for `x > threshold`, `negativeSlope · (x − threshold)`
 * otherwise (with the defaults, `max(x, 0)`). No weights; output shape = input
 * shape. `call` returns a new float32 tensor owned by the caller and disposes
 * nothing; non-float32 inputs are cast.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError if `maxValue`, `negativeSlope` or `threshold` is not a finite number ≥ 0.
 */
export function relu(options: ReLUOptions = {}): ReLULayer {
  return new ReLU(knownOptions('relu', options, RELU_LAYER_KEYS));
}

/**
 * The ReLU layer under its former flat name (spec id `trellis/relu`).
 *
 * @deprecated Use `layers.relu` (the ReLU layer; `relu` is the activation) — removed in the next minor release.
 */
export const reLU: typeof relu = relu;

class ReLU extends ElementwiseLayer<ReLUConfig> implements ReLULayer {
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(options: ReLUOptions) {
    super('relu', 'relu', options);
    const maxValue = options.maxValue ?? null;
    if (maxValue !== null) nonNegative('maxValue', maxValue);
    this.maxValue = maxValue;
    this.negativeSlope = nonNegative('negativeSlope', options.negativeSlope ?? 0);
    this.threshold = nonNegative('threshold', options.threshold ?? 0);
  }

  protected ownConfig() {
    return {maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold};
  }

  // The steps of Keras' `ReLU.static_call`, so values and gradients agree at every input.
  protected compute(x: tf.Tensor): tf.Tensor {
    const {maxValue, negativeSlope: slope, threshold} = this;
    if (slope !== 0 && maxValue === null && threshold === 0) return tf.leakyRelu(x, slope);
    let y: tf.Tensor;
    let clip = maxValue !== null;
    if (threshold !== 0) {
      // x where x > threshold, else 0 (tf.step is 1 above 0 and 0 otherwise, with a zero gradient).
      y = tf.mul(x, tf.step(tf.sub(x, threshold)));
    } else if (maxValue === 6) {
      y = tf.relu6(x);
      clip = false;
    } else {
      y = tf.relu(x);
    }
    if (clip) y = tf.clipByValue(y, 0, maxValue!);
    if (slope !== 0) {
      const negativePart = tf.relu(threshold !== 0 ? tf.sub(threshold, x) : tf.neg(x));
      y = tf.sub(y, tf.mul(slope, negativePart));
    }
    return y;
  }
}

function nonNegative(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(`relu: ${option} must be a finite number ≥ 0; got ${describe(value)}.`);
  }
  return value;
}
