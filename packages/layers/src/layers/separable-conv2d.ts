import * as tf from '@tensorflow/tfjs-core';
import {
  StateError,
  type BuildContext,
  type CallContext,
  type Constraint,
  type Initializer,
  type Regularizer,
  type Shape,
  type Spec,
  optionKeys,
} from '@trellis/core';
import type {Activation, ActivationIdentifier, ActivationJson} from '../activations/types';
import {knownOptions} from '../option-keys';
import {checkBuildShape, checkInputShape, checkName, layerLabel, type SpecJson} from './common';
import {
  addTrainableWeight,
  checkChannels,
  checkConvWindow,
  checkPositiveInteger,
  checkSpatialRank,
  windowOutputShape,
  type ConvWindow,
  type DataFormat,
  type Padding,
} from './conv-common';
import {depthwiseConvolve} from './depthwise-convolution';
import {addBias, addBiasAndActivate} from './kernel-bias-weights';
import {checkNamedKernels, namedKernelsConfig} from './named-kernels';
import {type SymbolicLayer, SymbolicLayerBase} from './symbolic-layer';

/** Options of {@link separableConv2d} (Keras `SeparableConv2D` arguments in camelCase). */
export type SeparableConv2dOptions = {
  /** Output channels; a positive integer. */
  readonly filters: number;
  /** Depthwise window `[height, width]`, or one integer for both. */
  readonly kernelSize: number | readonly [number, number];
  /** Default 1. */
  readonly strides?: number | readonly [number, number];
  /** Default `'valid'`. */
  readonly padding?: Padding;
  readonly dataFormat?: DataFormat;
  /** Default 1. */
  readonly dilationRate?: number | readonly [number, number];
  /** Depthwise outputs per input channel; default 1. */
  readonly depthMultiplier?: number;
  /** Default linear (Keras `None`). */
  readonly activation?: ActivationIdentifier | null;
  /** Default true. */
  readonly useBias?: boolean;
  /** Default `glorotUniform()`. */
  readonly depthwiseInitializer?: Initializer;
  /** Default `glorotUniform()`. */
  readonly pointwiseInitializer?: Initializer;
  /** Default `zeros()`. */
  readonly biasInitializer?: Initializer;
  readonly depthwiseRegularizer?: Regularizer | null;
  readonly pointwiseRegularizer?: Regularizer | null;
  readonly biasRegularizer?: Regularizer | null;
  /** Penalty on the output (after the activation) added to the loss, divided by the batch size. Default none (Keras `activity_regularizer`). */
  readonly activityRegularizer?: Regularizer | null;
  readonly depthwiseConstraint?: Constraint | null;
  readonly pointwiseConstraint?: Constraint | null;
  readonly biasConstraint?: Constraint | null;
  /** Input shape without the batch dimension, `[height, width, channels]`. */
  readonly inputShape?: Shape;
  readonly name?: string;
};

/** The names of {@link SeparableConv2dOptions}: what {@link separableConv2d} accepts. */
const SEPARABLE_CONV2D_KEYS = optionKeys<SeparableConv2dOptions>({
  filters: true,
  kernelSize: true,
  strides: true,
  padding: true,
  dataFormat: true,
  dilationRate: true,
  depthMultiplier: true,
  activation: true,
  useBias: true,
  depthwiseInitializer: true,
  pointwiseInitializer: true,
  biasInitializer: true,
  depthwiseRegularizer: true,
  pointwiseRegularizer: true,
  biasRegularizer: true,
  activityRegularizer: true,
  depthwiseConstraint: true,
  pointwiseConstraint: true,
  biasConstraint: true,
  inputShape: true,
  name: true,
});

/** The JSON config in a separableConv2d layer's spec (`trellis/separableConv2d`). */
export type SeparableConv2dConfig = {
  readonly name: string;
  readonly filters: number;
  readonly kernelSize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: Padding;
  readonly dataFormat: DataFormat;
  readonly dilationRate: readonly number[];
  readonly depthMultiplier: number;
  readonly activation: ActivationJson;
  readonly useBias: boolean;
  readonly depthwiseInitializer: SpecJson;
  readonly pointwiseInitializer: SpecJson;
  readonly biasInitializer: SpecJson;
  readonly depthwiseRegularizer: SpecJson | null;
  readonly pointwiseRegularizer: SpecJson | null;
  readonly biasRegularizer: SpecJson | null;
  readonly activityRegularizer: SpecJson | null;
  readonly depthwiseConstraint: SpecJson | null;
  readonly pointwiseConstraint: SpecJson | null;
  readonly biasConstraint: SpecJson | null;
  readonly inputShape?: readonly number[];
};

/** A separableConv2d layer: options (tuples normalized to `[height, width]`) and weights. */
export interface SeparableConv2dLayer extends SymbolicLayer<SeparableConv2dConfig>, ConvWindow {
  readonly filters: number;
  readonly depthMultiplier: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly pointwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly pointwiseRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  readonly pointwiseConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  /** `[kernelHeight, kernelWidth, inputChannels, depthMultiplier]`, once built. */
  readonly depthwiseKernel: tf.Variable | null;
  /** `[1, 1, inputChannels · depthMultiplier, filters]`, once built. */
  readonly pointwiseKernel: tf.Variable | null;
  /** `[filters]`, once built with `useBias`. */
  readonly bias: tf.Variable | null;
}

/**
 * A depthwise separable 2-D convolution (Keras `SeparableConv2D`, `channels_last`
 * only): a depthwise convolution (see {@link depthwiseConv2d}) followed by a 1×1
 * convolution that mixes the channels, then the bias and activation.
 *
 * Weights (Keras' names): `depthwise_kernel` `[kernelHeight, kernelWidth,
 * inputChannels, depthMultiplier]`, `pointwise_kernel` `[1, 1, inputChannels ·
 * depthMultiplier, filters]` and, with `useBias`, `bias` `[filters]`, float32, owned by
 * the model.
 *
 * Shapes: `[batch, h, w, c]` → `[batch, h', w', filters]` with the output size of
 * {@link conv2d}; strides and dilation may both exceed 1. `call` returns a new tensor
 * owned by the caller, disposes nothing and runs in its own `tf.tidy`.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options or `'channelsFirst'`.
 * @throws ShapeError from `build` for an input that is not `[h, w, c]` or smaller than the
 *   (dilated) kernel with `'valid'` padding; from `call` for another input shape.
 */
export function separableConv2d(options: SeparableConv2dOptions): SeparableConv2dLayer {
  return new SeparableConv2d(knownOptions('separableConv2d', options, SEPARABLE_CONV2D_KEYS));
}

/** The kernels of a separableConv2d layer as its options name them, in the order they are checked. */
const KERNELS = ['depthwise', 'pointwise'] as const;

type Settings = Omit<
  SeparableConv2dLayer,
  'name' | 'inputShape' | 'spec' | 'build' | 'call' | 'apply' | 'depthwiseKernel' | 'pointwiseKernel' | 'bias'
>;

interface SeparableConv2d extends Settings {}

class SeparableConv2d extends SymbolicLayerBase implements SeparableConv2dLayer {
  name: string;
  readonly inputShape?: Shape;
  #depthwise: tf.Variable | null = null;
  #pointwise: tf.Variable | null = null;
  #bias: tf.Variable | null = null;
  #built: Shape | null = null;

  constructor(options: SeparableConv2dOptions) {
    super();
    const kind = 'separableConv2d';
    const filters = checkPositiveInteger(kind, 'filters', options.filters, 'output channels');
    const window = checkConvWindow(kind, options, 2, true);
    const depthMultiplier = checkPositiveInteger(
      kind,
      'depthMultiplier',
      options.depthMultiplier ?? 1,
      'depthwise outputs per input channel',
    );
    this.name = checkName(kind, options.name);
    const inputShape = checkInputShape(kind, options.inputShape);
    if (inputShape) this.inputShape = inputShape;
    const settings: Settings = {
      filters,
      ...window,
      depthMultiplier,
      ...checkNamedKernels(kind, options, KERNELS),
    };
    Object.assign(this, settings);
  }

  get depthwiseKernel(): tf.Variable | null {
    return this.#depthwise;
  }

  get pointwiseKernel(): tf.Variable | null {
    return this.#pointwise;
  }

  get bias(): tf.Variable | null {
    return this.#bias;
  }

  get spec(): Spec<SeparableConv2dConfig> {
    const config: SeparableConv2dConfig = {
      name: this.name,
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate],
      depthMultiplier: this.depthMultiplier,
      ...namedKernelsConfig(this, KERNELS),
      ...(this.inputShape ? {inputShape: [...this.inputShape]} : {}),
    };
    return {id: 'trellis/separableConv2d', config};
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = layerLabel('separableConv2d', this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    checkSpatialRank(label, inputShape, 2);
    const spatial = windowOutputShape(label, inputShape, this.kernelSize, this.strides, this.padding, this.dilationRate);
    return [...spatial, this.filters];
  }

  build(inputShape: Shape, context: BuildContext): Shape {
    const output = this.computeOutputShape(inputShape);
    const channels = inputShape[2]!;
    this.#depthwise = addTrainableWeight(
      context,
      'depthwise_kernel',
      [...this.kernelSize, channels, this.depthMultiplier],
      this.depthwiseInitializer,
      this.depthwiseRegularizer,
      this.depthwiseConstraint,
    );
    this.#pointwise = addTrainableWeight(
      context,
      'pointwise_kernel',
      [1, 1, channels * this.depthMultiplier, this.filters],
      this.pointwiseInitializer,
      this.pointwiseRegularizer,
      this.pointwiseConstraint,
    );
    this.#bias = addBias(context, this, this.filters);
    this.#built = [...inputShape];
    return output;
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const label = layerLabel('separableConv2d', this.name);
    const depthwise = this.#depthwise;
    const pointwise = this.#pointwise;
    if (!depthwise || !pointwise || !this.#built) {
      throw new StateError(`${label} was called before it was built; add it to a model, or call build(inputShape, context) first.`);
    }
    checkChannels(label, input.shape, this.#built);
    const bias = this.#bias;
    return tf.tidy(() => {
      const spread = depthwiseConvolve(input, depthwise, this);
      const y = tf.conv2d(spread, pointwise as tf.Tensor4D, 1, 'valid');
      return addBiasAndActivate(this, y, bias, context);
    });
  }
}
