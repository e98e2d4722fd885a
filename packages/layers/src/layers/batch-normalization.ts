import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  type BuildContext,
  type CallContext,
  type Constraint,
  type Initializer,
  type Regularizer,
  type Shape,
  type Spec,
  optionKeys,
} from '@trellis/core';
import {ones, zeros} from '@trellis/initializers';
import {knownOptions} from '../option-keys';
import {checkBuildShape, checkCallShape, layerLabel, specJson, type SpecJson, notBuiltError} from './common';
import {broadcastShape, featureAxis} from './feature-axis';
import {checkBoolean, numberOption, checkSerializable} from './option-checks';
import type {BaseLayerConfig} from './elementwise-layer';
import {type SymbolicLayer, SymbolicLayerBase} from './symbolic-layer';
import {addTrainableWeight} from './trainable-weight';
import {layerSpec} from './layer-spec';

/** Options of {@link batchNormalization}. */
export type BatchNormalizationOptions = {
  /** The feature axis, counted with the batch axis; negative from the end. Default -1 (Keras `axis`). */
  readonly axis?: number;
  /** Weight of the old value in the moving statistics, in [0, 1]. Default 0.99 (Keras `momentum`). */
  readonly momentum?: number;
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
  /** Default `zeros()` (Keras `"zeros"`). */
  readonly movingMeanInitializer?: Initializer | string;
  /** Default `ones()` (Keras `"ones"`). */
  readonly movingVarianceInitializer?: Initializer | string;
  /** Penalty on `beta` added to the loss. Default none. */
  readonly betaRegularizer?: Regularizer | string | null;
  /** Penalty on `gamma` added to the loss. Default none. */
  readonly gammaRegularizer?: Regularizer | string | null;
  /** Projection of `beta` after each update. Default none. */
  readonly betaConstraint?: Constraint | string | null;
  /** Projection of `gamma` after each update. Default none. */
  readonly gammaConstraint?: Constraint | string | null;
  /**
   * `false` freezes the layer as Keras' `layer.trainable = False` does (the
   * same as setting `layer.trainable = false` later): `gamma` and `beta` stop
   * training and the layer runs in inference mode (moving statistics, no
   * state updates). Default true.
   */
  readonly trainable?: boolean;
  /** Input shape without the batch dimension, for the first layer of a model. */
  readonly inputShape?: Shape;
  /** Unique within a model; empty (default) lets the model choose (`batch_normalization`). */
  readonly name?: string;
};

/** The names of {@link BatchNormalizationOptions}: what {@link batchNormalization} accepts. */
const BATCH_NORMALIZATION_KEYS = optionKeys<BatchNormalizationOptions>({
  axis: true,
  momentum: true,
  epsilon: true,
  center: true,
  scale: true,
  betaInitializer: true,
  gammaInitializer: true,
  movingMeanInitializer: true,
  movingVarianceInitializer: true,
  betaRegularizer: true,
  gammaRegularizer: true,
  betaConstraint: true,
  gammaConstraint: true,
  trainable: true,
  inputShape: true,
  name: true,
});

/** The JSON config in a batch normalization layer's spec (`trellis/batchNormalization`). */
export type BatchNormalizationConfig = BaseLayerConfig & {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: SpecJson;
  readonly gammaInitializer: SpecJson;
  readonly movingMeanInitializer: SpecJson;
  readonly movingVarianceInitializer: SpecJson;
  readonly betaRegularizer: SpecJson | null;
  readonly gammaRegularizer: SpecJson | null;
  readonly betaConstraint: SpecJson | null;
  readonly gammaConstraint: SpecJson | null;
  readonly trainable: boolean;
};

/** A batch normalization layer: the {@link Layer} contract plus its options and weights. */
export interface BatchNormalizationLayer extends SymbolicLayer<BatchNormalizationConfig> {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  readonly betaConstraint: Constraint | null;
  readonly gammaConstraint: Constraint | null;
  /**
   * Keras' `layer.trainable`: set it to `false` at any time to freeze `gamma`
   * and `beta` and run in inference mode from the next step on.
   */
  trainable: boolean;
  /** `gamma` `[features]`, once built with `scale` (owned by the model). */
  readonly gamma: tf.Variable | null;
  /** `beta` `[features]`, once built with `center` (owned by the model). */
  readonly beta: tf.Variable | null;
  /** `moving_mean` `[features]`, non-trainable, once built (owned by the model). */
  readonly movingMean: tf.Variable | null;
  /** `moving_variance` `[features]`, non-trainable, once built (owned by the model). */
  readonly movingVariance: tf.Variable | null;
}

/**
 * Batch normalization (Keras `BatchNormalization`):
 * `gamma · (x − mean) / sqrt(variance + epsilon) + beta` per feature of `axis`.
 *
 * In training (`context.training` and `trainable`) `mean` and `variance` are
 * the batch's moments over every axis but `axis` (the biased variance), and
 * the layer asks `context.updateState` for
 * `moving = moving · momentum + batch · (1 − momentum)` on both moving
 * statistics — `fit` applies that after the optimizer step; evaluate and
 * predict never change them. In inference the moving statistics are used.
 *
 * Weights (Keras' names): `gamma` (with `scale`) and `beta` (with `center`),
 * trainable; `moving_mean` and `moving_variance`, non-trainable (the optimizer
 * never sees them). All `[features]` float32, created through the build
 * context and owned by the model.
 *
 * Shapes: input `[batch, ...inputShape]` of any rank ≥ 2 → output of the same
 * shape, float32 (other dtypes are cast). `call` returns a new tensor owned by
 * the caller, disposes nothing, and runs in its own `tf.tidy`.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options (`momentum` outside [0, 1], `epsilon` ≤ 0, ...).
 *
 * @example
 * const layer = batchNormalization({momentum: 0.9});
 */
export function batchNormalization(options: BatchNormalizationOptions = {}): BatchNormalizationLayer {
  return new BatchNormalization(knownOptions('batchNormalization', options, BATCH_NORMALIZATION_KEYS));
}

type BatchNormalizationSettings = Pick<
  BatchNormalizationLayer,
  | 'axis'
  | 'momentum'
  | 'epsilon'
  | 'center'
  | 'scale'
  | 'betaInitializer'
  | 'gammaInitializer'
  | 'movingMeanInitializer'
  | 'movingVarianceInitializer'
  | 'betaRegularizer'
  | 'gammaRegularizer'
  | 'betaConstraint'
  | 'gammaConstraint'
  | 'trainable'
>;

// Declaration merging gives the class these fields (set all at once in the constructor).
interface BatchNormalization extends BatchNormalizationSettings {}

const KIND = 'batchNormalization';

class BatchNormalization extends SymbolicLayerBase implements BatchNormalizationLayer {
  #gamma: tf.Variable | null = null;
  #beta: tf.Variable | null = null;
  #movingMean: tf.Variable | null = null;
  #movingVariance: tf.Variable | null = null;
  #built: Shape | null = null;
  #axis = 0;

  constructor(options: BatchNormalizationOptions) {
    super();
    this.setIdentity(KIND, options);
    const settings: BatchNormalizationSettings = {
      axis: numberOption(KIND, 'axis', options.axis, -1, Number.isInteger, 'a non-zero integer (the feature axis)'),
      momentum: numberOption(KIND, 'momentum', options.momentum, 0.99, (m) => m >= 0 && m <= 1, 'a number in [0, 1]'),
      epsilon: numberOption(KIND, 'epsilon', options.epsilon, 1e-3, (e) => e > 0, 'a positive number'),
      center: checkBoolean(KIND, 'center', options.center, true),
      scale: checkBoolean(KIND, 'scale', options.scale, true),
      betaInitializer: checkSerializable(KIND, 'betaInitializer', options.betaInitializer) ?? zeros(),
      gammaInitializer: checkSerializable(KIND, 'gammaInitializer', options.gammaInitializer) ?? ones(),
      movingMeanInitializer: checkSerializable(KIND, 'movingMeanInitializer', options.movingMeanInitializer) ?? zeros(),
      movingVarianceInitializer: checkSerializable(KIND, 'movingVarianceInitializer', options.movingVarianceInitializer) ?? ones(),
      betaRegularizer: checkSerializable(KIND, 'betaRegularizer', options.betaRegularizer) ?? null,
      gammaRegularizer: checkSerializable(KIND, 'gammaRegularizer', options.gammaRegularizer) ?? null,
      betaConstraint: checkSerializable(KIND, 'betaConstraint', options.betaConstraint) ?? null,
      gammaConstraint: checkSerializable(KIND, 'gammaConstraint', options.gammaConstraint) ?? null,
      trainable: checkBoolean(KIND, 'trainable', options.trainable, true),
    };
    if (settings.axis === 0) {
      throw new ConfigError(`${KIND}: axis 0 is the batch axis; give the feature axis (default -1, the last).`);
    }
    Object.assign(this, settings);
  }

  get gamma(): tf.Variable | null {
    return this.#gamma;
  }

  get beta(): tf.Variable | null {
    return this.#beta;
  }

  get movingMean(): tf.Variable | null {
    return this.#movingMean;
  }

  get movingVariance(): tf.Variable | null {
    return this.#movingVariance;
  }

  get spec(): Spec<BatchNormalizationConfig> {
    return layerSpec('trellis/batchNormalization', this, {
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: specJson(this.betaInitializer),
      gammaInitializer: specJson(this.gammaInitializer),
      movingMeanInitializer: specJson(this.movingMeanInitializer),
      movingVarianceInitializer: specJson(this.movingVarianceInitializer),
      betaRegularizer: this.betaRegularizer && specJson(this.betaRegularizer),
      gammaRegularizer: this.gammaRegularizer && specJson(this.gammaRegularizer),
      betaConstraint: this.betaConstraint && specJson(this.betaConstraint),
      gammaConstraint: this.gammaConstraint && specJson(this.gammaConstraint),
      trainable: this.trainable,
    });
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = layerLabel(KIND, this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    featureAxis(label, this.axis, inputShape);
    return [...inputShape];
  }

  build(inputShape: Shape, context: BuildContext): Shape {
    const output = this.computeOutputShape(inputShape);
    const axis = featureAxis(layerLabel(KIND, this.name), this.axis, inputShape);
    const shape = [inputShape[axis - 1]!];
    this.#gamma = this.scale
      ? addTrainableWeight(context, 'gamma', shape, this.gammaInitializer, this.gammaRegularizer, this.gammaConstraint)
      : null;
    this.#beta = this.center
      ? addTrainableWeight(context, 'beta', shape, this.betaInitializer, this.betaRegularizer, this.betaConstraint)
      : null;
    this.#movingMean = context.addWeight({name: 'moving_mean', shape, initializer: this.movingMeanInitializer, trainable: false});
    this.#movingVariance = context.addWeight({
      name: 'moving_variance',
      shape,
      initializer: this.movingVarianceInitializer,
      trainable: false,
    });
    this.#axis = axis;
    this.#built = [...inputShape];
    return output;
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const label = layerLabel(KIND, this.name);
    const movingMean = this.#movingMean;
    const movingVariance = this.#movingVariance;
    if (!this.#built || !movingMean || !movingVariance) {
      throw notBuiltError(label);
    }
    checkCallShape(label, input.shape, this.#built);
    const training = context.training && this.trainable;
    const rank = input.rank;
    const axis = this.#axis;
    const features = movingMean.shape[0]!;
    const last = axis === rank - 1;
    const perFeature = (v: tf.Tensor) => (last ? v : tf.reshape(v, broadcastShape(rank, axis, features)));
    return tf.tidy(() => {
      const x = input.dtype === 'float32' ? input : tf.cast(input, 'float32');
      let mean: tf.Tensor;
      let variance: tf.Tensor;
      if (training) {
        const reduce = Array.from({length: rank}, (_, i) => i).filter((i) => i !== axis);
        const moments = tf.moments(x, reduce);
        mean = moments.mean;
        variance = moments.variance;
        if (context.updateState) {
          const m = this.momentum;
          context.updateState(movingMean, tf.add(tf.mul(movingMean, m), tf.mul(mean, 1 - m)));
          context.updateState(movingVariance, tf.add(tf.mul(movingVariance, m), tf.mul(variance, 1 - m)));
        }
      } else {
        mean = movingMean;
        variance = movingVariance;
      }
      // tf.nn.batch_normalization's arrangement: x · inv + (beta − mean · inv), inv = gamma / sqrt(variance + ε).
      let inv = tf.rsqrt(tf.add(variance, this.epsilon));
      if (this.#gamma) inv = tf.mul(inv, this.#gamma);
      const shift = this.#beta ? tf.sub(this.#beta, tf.mul(mean, inv)) : tf.neg(tf.mul(mean, inv));
      return tf.add(tf.mul(x, perFeature(inv)), perFeature(shift));
    });
  }
}
