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

/** Options of {@link depthwiseConv2d} (Keras `DepthwiseConv2D` arguments in camelCase). */
export type DepthwiseConv2dOptions = {
  /** Window `[height, width]`, or one integer for both. */
  readonly kernelSize: number | readonly [number, number];
  /** Default 1. */
  readonly strides?: number | readonly [number, number];
  /** Default `'valid'`. */
  readonly padding?: Padding;
  /** Output channels per input channel; default 1 (Keras `depth_multiplier=1`). */
  readonly depthMultiplier?: number;
  readonly dataFormat?: DataFormat;
  /** Default 1. */
  readonly dilationRate?: number | readonly [number, number];
  /** Default linear (Keras `None`). */
  readonly activation?: ActivationIdentifier | null;
  /** Default true. */
  readonly useBias?: boolean;
  /** Default `glorotUniform()` (Keras `depthwise_initializer="glorot_uniform"`). */
  readonly depthwiseInitializer?: Initializer;
  /** Default `zeros()`. */
  readonly biasInitializer?: Initializer;
  readonly depthwiseRegularizer?: Regularizer | null;
  readonly biasRegularizer?: Regularizer | null;
  /** Penalty on the output (after the activation) added to the loss, divided by the batch size. Default none (Keras `activity_regularizer`). */
  readonly activityRegularizer?: Regularizer | null;
  readonly depthwiseConstraint?: Constraint | null;
  readonly biasConstraint?: Constraint | null;
  /** Input shape without the batch dimension, `[height, width, channels]`. */
  readonly inputShape?: Shape;
  readonly name?: string;
};

/** The names of {@link DepthwiseConv2dOptions}: what {@link depthwiseConv2d} accepts. */
const DEPTHWISE_CONV2D_KEYS = optionKeys<DepthwiseConv2dOptions>({
  kernelSize: true,
  strides: true,
  padding: true,
  depthMultiplier: true,
  dataFormat: true,
  dilationRate: true,
  activation: true,
  useBias: true,
  depthwiseInitializer: true,
  biasInitializer: true,
  depthwiseRegularizer: true,
  biasRegularizer: true,
  activityRegularizer: true,
  depthwiseConstraint: true,
  biasConstraint: true,
  inputShape: true,
  name: true,
});

/** The JSON config in a depthwiseConv2d layer's spec (`trellis/depthwiseConv2d`). */
export type DepthwiseConv2dConfig = {
  readonly name: string;
  readonly kernelSize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: Padding;
  readonly depthMultiplier: number;
  readonly dataFormat: DataFormat;
  readonly dilationRate: readonly number[];
  readonly activation: ActivationJson;
  readonly useBias: boolean;
  readonly depthwiseInitializer: SpecJson;
  readonly biasInitializer: SpecJson;
  readonly depthwiseRegularizer: SpecJson | null;
  readonly biasRegularizer: SpecJson | null;
  readonly activityRegularizer: SpecJson | null;
  readonly depthwiseConstraint: SpecJson | null;
  readonly biasConstraint: SpecJson | null;
  readonly inputShape?: readonly number[];
};

/** A depthwiseConv2d layer: options (tuples normalized to `[height, width]`) and weights. */
export interface DepthwiseConv2dLayer extends SymbolicLayer<DepthwiseConv2dConfig>, ConvWindow {
  readonly depthMultiplier: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly activityRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  /** The kernel `[kernelHeight, kernelWidth, inputChannels, depthMultiplier]`, once built. */
  readonly kernel: tf.Variable | null;
  /** The bias `[inputChannels · depthMultiplier]`, once built with `useBias`. */
  readonly bias: tf.Variable | null;
}

/**
 * A depthwise 2-D convolution (Keras `DepthwiseConv2D`, `channels_last` only): each
 * input channel is convolved with its own `depthMultiplier` filters; output channel
 * `c·depthMultiplier + m` comes from input channel `c` and filter `m`.
 *
 * Weights (Keras' names): `kernel` `[kernelHeight, kernelWidth, inputChannels,
 * depthMultiplier]` and, with `useBias`, `bias` `[inputChannels · depthMultiplier]`,
 * float32, owned by the model.
 *
 * Shapes: `[batch, h, w, c]` → `[batch, h', w', c·depthMultiplier]` with the output size
 * of {@link conv2d}. Strides and dilation may both exceed 1 (Keras allows it here).
 * `call` returns a new tensor owned by the caller, disposes nothing and runs in its own
 * `tf.tidy`; dilated kernels are expanded with zeros (tfjs-core has no gradient for
 * dilated depthwise convolutions). Non-float32 inputs are cast to float32.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options or `'channelsFirst'`.
 * @throws ShapeError from `build` for an input that is not `[h, w, c]` or smaller than the
 *   (dilated) kernel with `'valid'` padding; from `call` for another input shape.
 */
export function depthwiseConv2d(options: DepthwiseConv2dOptions): DepthwiseConv2dLayer {
  return new DepthwiseConv2d(knownOptions('depthwiseConv2d', options, DEPTHWISE_CONV2D_KEYS));
}

/** The one kernel of a depthwiseConv2d layer, named `depthwise` in its options. */
const KERNELS = ['depthwise'] as const;

type Settings = Omit<DepthwiseConv2dLayer, 'name' | 'inputShape' | 'spec' | 'build' | 'call' | 'apply' | 'kernel' | 'bias'>;

interface DepthwiseConv2d extends Settings {}

class DepthwiseConv2d extends SymbolicLayerBase implements DepthwiseConv2dLayer {
  name: string;
  readonly inputShape?: Shape;
  #kernel: tf.Variable | null = null;
  #bias: tf.Variable | null = null;
  #built: Shape | null = null;

  constructor(options: DepthwiseConv2dOptions) {
    super();
    const kind = 'depthwiseConv2d';
    const window = checkConvWindow(kind, options, 2, true);
    const depthMultiplier = checkPositiveInteger(kind, 'depthMultiplier', options.depthMultiplier ?? 1, 'filters per input channel');
    this.name = checkName(kind, options.name);
    const inputShape = checkInputShape(kind, options.inputShape);
    if (inputShape) this.inputShape = inputShape;
    const settings: Settings = {
      ...window,
      depthMultiplier,
      ...checkNamedKernels(kind, options, KERNELS),
    };
    Object.assign(this, settings);
  }

  get kernel(): tf.Variable | null {
    return this.#kernel;
  }

  get bias(): tf.Variable | null {
    return this.#bias;
  }

  get spec(): Spec<DepthwiseConv2dConfig> {
    const config: DepthwiseConv2dConfig = {
      name: this.name,
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      depthMultiplier: this.depthMultiplier,
      dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate],
      ...namedKernelsConfig(this, KERNELS),
      ...(this.inputShape ? {inputShape: [...this.inputShape]} : {}),
    };
    return {id: 'trellis/depthwiseConv2d', config};
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = layerLabel('depthwiseConv2d', this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    checkSpatialRank(label, inputShape, 2);
    const spatial = windowOutputShape(label, inputShape, this.kernelSize, this.strides, this.padding, this.dilationRate);
    return [...spatial, inputShape[2]! * this.depthMultiplier];
  }

  build(inputShape: Shape, context: BuildContext): Shape {
    const output = this.computeOutputShape(inputShape);
    const channels = inputShape[2]!;
    this.#kernel = addTrainableWeight(
      context,
      'kernel',
      [...this.kernelSize, channels, this.depthMultiplier],
      this.depthwiseInitializer,
      this.depthwiseRegularizer,
      this.depthwiseConstraint,
    );
    this.#bias = addBias(context, this, channels * this.depthMultiplier);
    this.#built = [...inputShape];
    return output;
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const label = layerLabel('depthwiseConv2d', this.name);
    const kernel = this.#kernel;
    if (!kernel || !this.#built) {
      throw new StateError(`${label} was called before it was built; add it to a model, or call build(inputShape, context) first.`);
    }
    checkChannels(label, input.shape, this.#built);
    const bias = this.#bias;
    return tf.tidy(() => {
      const y = depthwiseConvolve(input, kernel, this);
      return addBiasAndActivate(this, y, bias, context);
    });
  }
}
