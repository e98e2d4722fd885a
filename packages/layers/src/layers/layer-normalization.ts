import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  ShapeError,
  describe,
  type BuildContext,
  type CallContext,
  type Initializer,
  type Shape,
  type Spec,
  optionKeys,
} from '@trellis/core';
import {ones, zeros} from '@trellis/initializers';
import {knownOptions} from '../option-keys';
import {checkBuildShape, checkCallShape, layerLabel, specJson, type SpecJson, notBuiltError} from './common';
import {layerSpec} from './layer-spec';
import {featureAxis} from './feature-axis';
import {checkBoolean, numberOption, checkSerializable} from './option-checks';
import type {BaseLayerConfig} from './elementwise-layer';
import {type SymbolicLayer, SymbolicLayerBase} from './symbolic-layer';
import {addTrainableWeight} from './trainable-weight';

/** Options of {@link layerNormalization}. */
export type LayerNormalizationOptions = {
  /**
   * The axis or axes normalized over (and scaled per element), counted with
   * the batch axis; negative from the end. Default -1 (Keras `axis`).
   */
  readonly axis?: number | readonly number[];
  /** Added to the variance before the square root; positive. Default 1e-3 (Keras `epsilon`). */
  readonly epsilon?: number;
  /** Whether to add the learned offset `beta`. Default true (Keras `center`). */
  readonly center?: boolean;
  /** Whether to multiply by the learned scale `gamma`. Default true (Keras `scale`). */
  readonly scale?: boolean;
  /** Default `zeros()` (Keras `"zeros"`). */
  readonly betaInitializer?: Initializer | string;
  /** Default `ones()` (Keras `"ones"`). */
  readonly gammaInitializer?: Initializer | string;
  /** Input shape without the batch dimension, for the first layer of a model. */
  readonly inputShape?: Shape;
  /** Unique within a model; empty (default) lets the model choose (`layer_normalization`). */
  readonly name?: string;
};

/** The names of {@link LayerNormalizationOptions}: what {@link layerNormalization} accepts. */
const LAYER_NORMALIZATION_KEYS = optionKeys<LayerNormalizationOptions>({
  axis: true,
  epsilon: true,
  center: true,
  scale: true,
  betaInitializer: true,
  gammaInitializer: true,
  inputShape: true,
  name: true,
});

/** The JSON config in a layer normalization layer's spec (`trellis/layerNormalization`). */
export type LayerNormalizationConfig = BaseLayerConfig & {
  readonly axis: number | readonly number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: SpecJson;
  readonly gammaInitializer: SpecJson;
};

/** A layer normalization layer: the {@link Layer} contract plus its options and weights. */
export interface LayerNormalizationLayer extends SymbolicLayer<LayerNormalizationConfig> {
  readonly axis: number | readonly number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  /** `gamma`, shaped as the normalized axes, once built with `scale` (owned by the model). */
  readonly gamma: tf.Variable | null;
  /** `beta`, shaped as the normalized axes, once built with `center` (owned by the model). */
  readonly beta: tf.Variable | null;
}

/**
 * Layer normalization (Keras `LayerNormalization`): each sample is
 * normalized over `axis` by its own mean and (biased) variance,
 * `gamma · (x − mean) / sqrt(variance + epsilon) + beta`, the same in
 * training and inference.
 *
 * Weights (Keras' names): `gamma` (with `scale`) and `beta` (with `center`),
 * trainable float32, shaped as the sizes of the normalized axes; created
 * through the build context and owned by the model.
 *
 * Shapes: input `[batch, ...inputShape]` → output of the same shape, float32
 * (other dtypes are cast). `call` returns a new tensor owned by the caller,
 * disposes nothing, and runs in its own `tf.tidy`.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options (`epsilon` ≤ 0, an axis that is not an integer, ...).
 */
export function layerNormalization(options: LayerNormalizationOptions = {}): LayerNormalizationLayer {
  return new LayerNormalization(knownOptions('layerNormalization', options, LAYER_NORMALIZATION_KEYS));
}

type LayerNormalizationSettings = Pick<
  LayerNormalizationLayer,
  'axis' | 'epsilon' | 'center' | 'scale' | 'betaInitializer' | 'gammaInitializer'
>;

// Declaration merging gives the class these fields (set all at once in the constructor).
interface LayerNormalization extends LayerNormalizationSettings {}

const KIND = 'layerNormalization';

class LayerNormalization extends SymbolicLayerBase implements LayerNormalizationLayer {
  #gamma: tf.Variable | null = null;
  #beta: tf.Variable | null = null;
  #built: Shape | null = null;
  #axes: number[] = [];

  constructor(options: LayerNormalizationOptions) {
    super();
    this.setIdentity(KIND, options);
    const axis = options.axis ?? -1;
    const axes = typeof axis === 'number' ? [axis] : axis;
    if (!Array.isArray(axes) || axes.length === 0 || !axes.every((a) => Number.isInteger(a) && a !== 0)) {
      throw new ConfigError(
        `${KIND}: axis must be a non-zero integer or a non-empty array of them (axes to normalize over, batch axis ` +
          `excluded); got ${describe(axis)}.`,
      );
    }
    const settings: LayerNormalizationSettings = {
      axis: typeof axis === 'number' ? axis : Object.freeze([...axes]),
      epsilon: numberOption(KIND, 'epsilon', options.epsilon, 1e-3, (e) => e > 0, 'a positive number'),
      center: checkBoolean(KIND, 'center', options.center, true),
      scale: checkBoolean(KIND, 'scale', options.scale, true),
      betaInitializer: checkSerializable(KIND, 'betaInitializer', options.betaInitializer) ?? zeros(),
      gammaInitializer: checkSerializable(KIND, 'gammaInitializer', options.gammaInitializer) ?? ones(),
    };
    Object.assign(this, settings);
  }

  get gamma(): tf.Variable | null {
    return this.#gamma;
  }

  get beta(): tf.Variable | null {
    return this.#beta;
  }

  get spec(): Spec<LayerNormalizationConfig> {
    return layerSpec('trellis/layerNormalization', this, {
      axis: typeof this.axis === 'number' ? this.axis : [...this.axis],
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: specJson(this.betaInitializer),
      gammaInitializer: specJson(this.gammaInitializer),
    });
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = layerLabel(KIND, this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    this.#normalizedAxes(label, inputShape);
    return [...inputShape];
  }

  build(inputShape: Shape, context: BuildContext): Shape {
    const output = this.computeOutputShape(inputShape);
    const axes = this.#normalizedAxes(layerLabel(KIND, this.name), inputShape);
    const shape = axes.map((a) => inputShape[a - 1]!);
    this.#gamma = this.scale ? addTrainableWeight(context, 'gamma', shape, this.gammaInitializer, null, null) : null;
    this.#beta = this.center ? addTrainableWeight(context, 'beta', shape, this.betaInitializer, null, null) : null;
    this.#axes = axes;
    this.#built = [...inputShape];
    return output;
  }

  /** The normalized axes (1-based, batch excluded, ascending) for `inputShape`; throws a ShapeError when they do not fit. */
  #normalizedAxes(label: string, inputShape: Shape): number[] {
    const axes = (typeof this.axis === 'number' ? [this.axis] : this.axis).map((a) => featureAxis(label, a, inputShape));
    axes.sort((a, b) => a - b);
    if (new Set(axes).size !== axes.length) {
      throw new ShapeError(`${label} lists the same axis twice (${describe(this.axis)}) for inputs [batch, ${inputShape.join(', ')}].`);
    }
    return axes;
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    const label = layerLabel(KIND, this.name);
    if (!this.#built) {
      throw notBuiltError(label);
    }
    checkCallShape(label, input.shape, this.#built);
    const rank = input.rank;
    const axes = this.#axes;
    const trailing = axes.length === 1 && axes[0] === rank - 1;
    const broadcast = input.shape.map((d, i) => (axes.includes(i) ? d : 1));
    const perElement = (v: tf.Tensor) => (trailing ? v : tf.reshape(v, broadcast));
    return tf.tidy(() => {
      const x = input.dtype === 'float32' ? input : tf.cast(input, 'float32');
      // Keras' arrangement: x · inv + (beta − mean · inv), inv = gamma / sqrt(variance + ε).
      const {mean, variance} = tf.moments(x, axes, true);
      let inv = tf.rsqrt(tf.add(variance, this.epsilon));
      if (this.#gamma) inv = tf.mul(inv, perElement(this.#gamma));
      let shift = tf.neg(tf.mul(mean, inv));
      if (this.#beta) shift = tf.add(shift, perElement(this.#beta));
      return tf.add(tf.mul(x, inv), shift);
    });
  }
}
