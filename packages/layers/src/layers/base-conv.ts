/**
 * The convolution shared by `conv1d` and `conv2d` (Keras `BaseConv`), internal.
 * @module
 */
import {reuseKeys} from '../option-keys';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, StateError, describe, type BuildContext, type CallContext, type Constraint, type Initializer, type Layer, type Regularizer, type Shape, type Spec, optionKeys} from '@trellis/core';
import {linear} from '../activations/linear';
import type {Activation, ActivationIdentifier, ActivationJson} from '../activations/types';
import {addActivityPenalty} from './activity-regularizer';
import {checkBuildShape, checkInputShape, checkName, layerLabel, type SpecJson} from './common';
import {KERNEL_BIAS_KEYS, checkKernelBiasOptions, kernelBiasConfig} from './kernel-bias-options';
import {
  addTrainableWeight,
  asFloat32,
  checkChannels,
  checkDataFormat,
  checkPadding,
  checkPositiveInteger,
  checkSpatialRank,
  checkTuple,
  convPadding,
  dilateKernel,
  windowOutputShape,
  type DataFormat,
  type Padding,
} from './conv-common';
import {type SymbolicLayer, SymbolicLayerBase} from './symbolic-layer';

/** Options of a convolution over `rank` spatial axes. */
export type BaseConvOptions = {
  readonly filters: number;
  readonly kernelSize: number | readonly number[];
  readonly strides?: number | readonly number[];
  readonly padding?: Padding;
  readonly dataFormat?: DataFormat;
  readonly dilationRate?: number | readonly number[];
  readonly groups?: number;
  readonly activation?: ActivationIdentifier | null;
  readonly useBias?: boolean;
  readonly kernelInitializer?: Initializer;
  readonly biasInitializer?: Initializer;
  readonly kernelRegularizer?: Regularizer | null;
  readonly biasRegularizer?: Regularizer | null;
  /** Penalty on the output (after the activation) added to the loss, divided by the batch size. Default none (Keras `activity_regularizer`). */
  readonly activityRegularizer?: Regularizer | null;
  readonly kernelConstraint?: Constraint | null;
  readonly biasConstraint?: Constraint | null;
  readonly inputShape?: Shape;
  readonly name?: string;
};

/** The names of {@link BaseConvOptions}: what `conv1d` and `conv2d` accept. */
export const BASE_CONV_KEYS = reuseKeys<BaseConvOptions>()(['filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate', 'groups', ...KERNEL_BIAS_KEYS, 'inputShape', 'name']);

/** The JSON config of a convolution's spec. */
export type BaseConvConfig = {
  readonly name: string;
  readonly filters: number;
  readonly kernelSize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: Padding;
  readonly dataFormat: DataFormat;
  readonly dilationRate: readonly number[];
  /** A built-in name (`'relu'`), a built-in's spec when it has options, or a custom activation's spec id. */
  readonly activation: ActivationJson;
  readonly useBias: boolean;
  readonly kernelInitializer: SpecJson;
  readonly biasInitializer: SpecJson;
  readonly kernelRegularizer: SpecJson | null;
  readonly biasRegularizer: SpecJson | null;
  readonly activityRegularizer: SpecJson | null;
  readonly kernelConstraint: SpecJson | null;
  readonly biasConstraint: SpecJson | null;
  readonly inputShape?: readonly number[];
};

/** A convolution layer: the {@link Layer} contract plus its options and weights. */
export interface BaseConvLayer extends SymbolicLayer<BaseConvConfig> {
  readonly filters: number;
  readonly kernelSize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: Padding;
  readonly dataFormat: DataFormat;
  readonly dilationRate: readonly number[];
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  /** The kernel `[...kernelSize, inputChannels, filters]`, once built (owned by the model). */
  readonly kernel: tf.Variable | null;
  /** The bias `[filters]`, once built with `useBias` (owned by the model). */
  readonly bias: tf.Variable | null;
}

type BaseConvSettings = Omit<BaseConvLayer, 'name' | 'inputShape' | 'spec' | 'build' | 'call' | 'apply' | 'kernel' | 'bias'>;

export interface BaseConv extends BaseConvSettings {}

/** A convolution over 1 (`conv1d`) or 2 (`conv2d`) spatial axes, channels last. */
export class BaseConv extends SymbolicLayerBase implements BaseConvLayer {
  name: string;
  readonly inputShape?: Shape;
  readonly #kind: string;
  readonly #rank: 1 | 2;
  #kernel: tf.Variable | null = null;
  #bias: tf.Variable | null = null;
  #built: Shape | null = null;

  constructor(kind: string, rank: 1 | 2, options: BaseConvOptions) {
    super();
    this.#kind = kind;
    this.#rank = rank;
    const filters = checkPositiveInteger(kind, 'filters', options.filters, 'output channels');
    const kernelSize = checkTuple(kind, 'kernelSize', options.kernelSize, rank);
    const strides = checkTuple(kind, 'strides', options.strides ?? 1, rank);
    const dilationRate = checkTuple(kind, 'dilationRate', options.dilationRate ?? 1, rank);
    if (strides.some((s) => s > 1) && dilationRate.some((d) => d > 1)) {
      throw new ConfigError(
        `${kind}: strides > 1 cannot be combined with dilationRate > 1 (as in Keras); got strides ` +
          `${JSON.stringify(strides)} and dilationRate ${JSON.stringify(dilationRate)}.`,
      );
    }
    if (options.groups !== undefined && options.groups !== 1) {
      throw new ConfigError(
        `${kind}: groups must be 1; got ${describe(options.groups)}. Grouped convolutions are not supported ` +
          '(tfjs-core has no grouped convolution kernel); split the channels and use one layer per group instead.',
      );
    }
    this.name = checkName(kind, options.name);
    const inputShape = checkInputShape(kind, options.inputShape);
    if (inputShape) this.inputShape = inputShape;
    const settings: BaseConvSettings = {
      filters,
      kernelSize,
      strides,
      padding: checkPadding(kind, options.padding),
      dataFormat: checkDataFormat(kind, options.dataFormat),
      dilationRate,
      ...checkKernelBiasOptions(kind, options),
    };
    Object.assign(this, settings);
  }

  get kernel(): tf.Variable | null {
    return this.#kernel;
  }

  get bias(): tf.Variable | null {
    return this.#bias;
  }

  get spec(): Spec<BaseConvConfig> {
    const config: BaseConvConfig = {
      name: this.name,
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate],
      ...kernelBiasConfig(this),
      ...(this.inputShape ? {inputShape: [...this.inputShape]} : {}),
    };
    return {id: `trellis/${this.#kind}`, config};
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = layerLabel(this.#kind, this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    checkSpatialRank(label, inputShape, this.#rank);
    const spatial = windowOutputShape(label, inputShape, this.kernelSize, this.strides, this.padding, this.dilationRate);
    return [...spatial, this.filters];
  }

  build(inputShape: Shape, context: BuildContext): Shape {
    const output = this.computeOutputShape(inputShape);
    const channels = inputShape[this.#rank]!;
    this.#kernel = addTrainableWeight(
      context,
      'kernel',
      [...this.kernelSize, channels, this.filters],
      this.kernelInitializer,
      this.kernelRegularizer,
      this.kernelConstraint,
    );
    this.#bias = this.useBias
      ? addTrainableWeight(context, 'bias', [this.filters], this.biasInitializer, this.biasRegularizer, this.biasConstraint)
      : null;
    this.#built = [...inputShape];
    return output;
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const label = layerLabel(this.#kind, this.name);
    const kernel = this.#kernel;
    if (!kernel || !this.#built) {
      throw new StateError(`${label} was called before it was built; add it to a model, or call build(inputShape, context) first.`);
    }
    checkChannels(label, input.shape, this.#built);
    const bias = this.#bias;
    return tf.tidy(() => {
      const x = asFloat32(input);
      let y: tf.Tensor;
      // A 1-D convolution is a 2-D one over a height of 1.
      const x4 = (this.#rank === 2 ? x : tf.expandDims(x, 1)) as tf.Tensor4D;
      const dilated = dilateKernel(kernel, this.dilationRate);
      const k = (this.#rank === 2 ? dilated : tf.expandDims(dilated, 0)) as tf.Tensor4D;
      const strides = (this.#rank === 2 ? this.strides : [1, this.strides[0]!]) as [number, number];
      const pad = convPadding(this.padding, x4.shape.slice(1, 3), k.shape.slice(0, 2), strides);
      y = tf.conv2d(x4, k, strides, pad);
      if (this.#rank === 1) y = tf.squeeze(y, [1]);
      if (bias) y = tf.add(y, bias);
      const output = this.activation === linear ? y : this.activation(y);
      addActivityPenalty(this.activityRegularizer, output, context);
      return output;
    });
  }
}
