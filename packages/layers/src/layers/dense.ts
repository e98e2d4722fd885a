import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, describe, type BuildContext, type CallContext, type Shape, type Spec} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import {checkBuildShape, formatShape, layerLabel, notBuiltError} from './common';
import {
  KERNEL_BIAS_KEYS,
  checkKernelBiasOptions,
  kernelBiasConfig,
  type KernelBiasConfig,
  type KernelBiasOptions,
  type KernelBiasSettings,
} from './kernel-bias-options';
import {addBias, addBiasAndActivate, addKernel} from './kernel-bias-weights';
import {BASE_LAYER_KEYS, type BaseLayerConfig} from './elementwise-layer';
import {type SymbolicLayer, SymbolicLayerBase} from './symbolic-layer';
import {layerSpec} from './layer-spec';

/** Options of {@link dense}. */
export type DenseOptions = {
  /** Output features (Keras `units`); a positive integer. */
  readonly units: number;
} & KernelBiasOptions & {
    /** Input shape without the batch dimension, for the first layer of a model (e.g. `[784]`). */
    readonly inputShape?: Shape;
    /** Unique within a model; empty (default) lets the model choose (`dense`, `dense_1`). */
    readonly name?: string;
  };

/** The names of {@link DenseOptions}: what {@link dense} accepts. */
const DENSE_KEYS = reuseKeys<DenseOptions>()(['units', ...KERNEL_BIAS_KEYS, ...BASE_LAYER_KEYS]);

/** The JSON config in a dense layer's spec (`trellis/dense`). */
export type DenseConfig = BaseLayerConfig & {readonly units: number} & KernelBiasConfig;

/** A dense layer: the {@link Layer} contract plus its options and weights. */
export interface DenseLayer extends SymbolicLayer<DenseConfig>, KernelBiasSettings {
  readonly units: number;
  /** The kernel `[inputFeatures, units]`, once built (owned by the model). */
  readonly kernel: tf.Variable | null;
  /** The bias `[units]`, once built with `useBias` (owned by the model). */
  readonly bias: tf.Variable | null;
}

/**
 * A densely connected layer, `activation(x · kernel + bias)` (Keras `Dense`).
 *
 * Weights: `kernel` `[inputFeatures, units]` and, with `useBias`, `bias`
 * `[units]`, both float32 and created through the model's build context (the
 * model owns and disposes them).
 *
 * Shapes: input `[batch, ..., inputFeatures]` → output `[batch, ..., units]`;
 * inputs of rank > 2 are multiplied along their last axis, as in Keras.
 * Non-float32 inputs are cast to float32 (Keras autocasts too).
 *
 * `call` returns a new tensor owned by the caller and disposes nothing; it
 * runs in its own `tf.tidy`, so intermediates are freed even when called
 * outside one. It uses `tf.matMul` and `tf.add` rather than
 * `tf.fused.matMul`: the fused op's gradient always computes the gradient of
 * the input, which the first layer of a model never needs.
 *
 * With `activityRegularizer`, `call` also hands `activityRegularizer(output) / batch`
 * to `context.addLoss` when the context offers it (`fit` and `evaluate`).
 *
 * `build` may be called again (e.g. after a failed model build); it asks the
 * context for fresh weights and forgets the old ones.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options (e.g. `units` not a positive integer).
 *
 * @example
 * const layer = dense({units: 10, activation: 'softmax'});
 */
export function dense(options: DenseOptions): DenseLayer {
  return new Dense(knownOptions('dense', options, DENSE_KEYS));
}

/** The resolved options a dense layer exposes, as {@link DenseLayer} declares them. */
type DenseSettings = Pick<
  DenseLayer,
  | 'units'
  | 'activation'
  | 'useBias'
  | 'kernelInitializer'
  | 'biasInitializer'
  | 'kernelRegularizer'
  | 'biasRegularizer'
  | 'activityRegularizer'
  | 'kernelConstraint'
  | 'biasConstraint'
>;

// Declaration merging gives the class these fields without a second list of
// them; the merge does not check that they are set, so the constructor sets
// them all at once from a `DenseSettings` object, which the compiler checks
// is complete.
interface Dense extends DenseSettings {}

class Dense extends SymbolicLayerBase implements DenseLayer {
  #kernel: tf.Variable | null = null;
  #bias: tf.Variable | null = null;
  #inputFeatures = 0;

  constructor(options: DenseOptions) {
    super();
    const {units} = options;
    if (!Number.isInteger(units) || units <= 0) {
      throw new ConfigError(`dense: units must be a positive integer (output features); got ${describe(units)}.`);
    }
    this.setIdentity('dense', options);
    const settings: DenseSettings = {
      units,
      ...checkKernelBiasOptions('dense', options),
    };
    Object.assign(this, settings);
  }

  get kernel(): tf.Variable | null {
    return this.#kernel;
  }

  get bias(): tf.Variable | null {
    return this.#bias;
  }

  get spec(): Spec<DenseConfig> {
    return layerSpec('trellis/dense', this, {
      units: this.units,
      ...kernelBiasConfig(this),
    });
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = layerLabel('dense', this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    if (inputShape.length === 0) {
      throw new ShapeError(
        `${label} expects inputs with a feature axis, input shape [..., features]; got ${formatShape(inputShape)} ` +
          '(one number per sample). Give the data a trailing axis of size 1.',
      );
    }
    return [...inputShape.slice(0, -1), this.units];
  }

  build(inputShape: Shape, context: BuildContext): Shape {
    const output = this.computeOutputShape(inputShape);
    const inputFeatures = inputShape[inputShape.length - 1]!;
    this.#kernel = addKernel(context, this, [inputFeatures, this.units]);
    this.#bias = addBias(context, this, this.units);
    this.#inputFeatures = inputFeatures;
    return output;
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const label = layerLabel('dense', this.name);
    const kernel = this.#kernel;
    if (!kernel) {
      throw notBuiltError(label);
    }
    const shape = input.shape;
    if (shape.length < 2 || shape[shape.length - 1] !== this.#inputFeatures) {
      throw new ShapeError(`${label} expects input of shape [batch, ..., ${this.#inputFeatures}]; got ${formatShape(shape)}.`);
    }
    const bias = this.#bias;
    return tf.tidy(() => {
      const x = input.dtype === 'float32' ? input : tf.cast(input, 'float32');
      let y: tf.Tensor;
      if (shape.length === 2) {
        y = tf.matMul(x, kernel);
      } else {
        // Flattening the leading axes keeps one plain 2-D matmul (the fast kernel on every backend).
        const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
        const flat = tf.reshape(x, [rows, this.#inputFeatures]);
        y = tf.reshape(tf.matMul(flat, kernel), [...shape.slice(0, -1), this.units]);
      }
      return addBiasAndActivate(this, y, bias, context);
    });
  }
}
