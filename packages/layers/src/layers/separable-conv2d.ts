import * as tf from '@tensorflow/tfjs-core';
import type {BuildContext, CallContext, Shape, Spec} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import {layerLabel, notBuiltError} from './common';
import {checkChannels, checkConvWindow, checkPositiveInteger, type ConvWindow} from './conv-common';
import {
  CONV_WINDOW_KEYS,
  convOutputSpatial,
  convWindowConfig,
  type ConvWindow2dOptions,
  type ConvWindowConfig,
} from './conv-window-options';
import {BASE_LAYER_KEYS, type BaseLayerConfig} from './elementwise-layer';
import {depthwiseConvolve} from './depthwise-convolution';
import {addBias, addBiasAndActivate, addNamedKernel} from './kernel-bias-weights';
import {
  checkNamedKernels,
  namedKernelsConfig,
  namedKernelsKeys,
  type NamedKernelsConfig,
  type NamedKernelsOptions,
  type NamedKernelsSettings,
} from './named-kernels';
import {type SymbolicLayer, SymbolicLayerBase} from './symbolic-layer';
import type {KernelLayerSettings} from './kernel-layer';
import {layerSpec} from './layer-spec';

/**
 * Options of {@link separableConv2d} (Keras `SeparableConv2D` arguments in camelCase); the
 * depthwise and pointwise kernels' initializers default to `glorotUniform()`.
 */
export type SeparableConv2dOptions = {
  /** Output channels; a positive integer. */
  readonly filters: number;
} & ConvWindow2dOptions & {
    /** Depthwise outputs per input channel; default 1. */
    readonly depthMultiplier?: number;
  } & NamedKernelsOptions<'depthwise' | 'pointwise'> & {
    /** Input shape without the batch dimension, `[height, width, channels]`. */
    readonly inputShape?: Shape;
    readonly name?: string;
  };

/** The kernels of a separableConv2d layer as its options name them, in the order they are checked. */
const KERNELS = ['depthwise', 'pointwise'] as const;

/** The names of {@link SeparableConv2dOptions}: what {@link separableConv2d} accepts. */
const SEPARABLE_CONV2D_KEYS = reuseKeys<SeparableConv2dOptions>()([
  'filters',
  ...CONV_WINDOW_KEYS,
  'depthMultiplier',
  ...namedKernelsKeys(KERNELS),
  ...BASE_LAYER_KEYS,
]);

/** The JSON config in a separableConv2d layer's spec (`trellis/separableConv2d`). */
export type SeparableConv2dConfig = BaseLayerConfig & {readonly filters: number; readonly depthMultiplier: number} & ConvWindowConfig &
  NamedKernelsConfig<'depthwise' | 'pointwise'>;

/** A separableConv2d layer: options (tuples normalized to `[height, width]`) and weights. */
export interface SeparableConv2dLayer
  extends SymbolicLayer<SeparableConv2dConfig>,
    ConvWindow,
    NamedKernelsSettings<'depthwise' | 'pointwise'> {
  readonly filters: number;
  readonly depthMultiplier: number;
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

type Settings = Omit<KernelLayerSettings<SeparableConv2dLayer>, 'depthwiseKernel' | 'pointwiseKernel'>;

interface SeparableConv2d extends Settings {}

class SeparableConv2d extends SymbolicLayerBase implements SeparableConv2dLayer {
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
    this.setIdentity(kind, options);
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
    return layerSpec('trellis/separableConv2d', this, {
      filters: this.filters,
      ...convWindowConfig(this),
      depthMultiplier: this.depthMultiplier,
      ...namedKernelsConfig(this, KERNELS),
    });
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const spatial = convOutputSpatial(layerLabel('separableConv2d', this.name), inputShape, this.inputShape, this, 2);
    return [...spatial, this.filters];
  }

  build(inputShape: Shape, context: BuildContext): Shape {
    const output = this.computeOutputShape(inputShape);
    const channels = inputShape[2]!;
    this.#depthwise = addNamedKernel(context, this, 'depthwise', 'depthwise_kernel', [...this.kernelSize, channels, this.depthMultiplier]);
    this.#pointwise = addNamedKernel(context, this, 'pointwise', 'pointwise_kernel', [1, 1, channels * this.depthMultiplier, this.filters]);
    this.#bias = addBias(context, this, this.filters);
    this.#built = [...inputShape];
    return output;
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const label = layerLabel('separableConv2d', this.name);
    const depthwise = this.#depthwise;
    const pointwise = this.#pointwise;
    if (!depthwise || !pointwise || !this.#built) {
      throw notBuiltError(label);
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
