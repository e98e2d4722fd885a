import * as tf from '@tensorflow/tfjs-core';
import type {BuildContext, CallContext, Shape, Spec} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import {layerLabel} from './common';
import {checkConvWindow, checkPositiveInteger, type ConvWindow} from './conv-common';
import {convOutputSpatial, type ConvWindow2dOptions, type ConvWindowConfig} from './conv-window-options';
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
import {KernelLayerBase, type KernelLayerSettings} from './kernel-layer';
import {BASE_LAYER_KEYS, type BaseLayerConfig} from './elementwise-layer';
import type {SymbolicLayer} from './symbolic-layer';
import {layerSpec} from './layer-spec';

/**
 * Options of {@link depthwiseConv2d} (Keras `DepthwiseConv2D` arguments in camelCase); the
 * depthwise kernel's initializer defaults to `glorotUniform()` (Keras
 * `depthwise_initializer="glorot_uniform"`).
 */
export type DepthwiseConv2dOptions = ConvWindow2dOptions & {
  /** Output channels per input channel; default 1 (Keras `depth_multiplier=1`). */
  readonly depthMultiplier?: number;
} & NamedKernelsOptions<'depthwise'> & {
    /** Input shape without the batch dimension, `[height, width, channels]`. */
    readonly inputShape?: Shape;
    readonly name?: string;
  };

/** The one kernel of a depthwiseConv2d layer, named `depthwise` in its options. */
const KERNELS = ['depthwise'] as const;

/** The names of {@link DepthwiseConv2dOptions}: what {@link depthwiseConv2d} accepts. */
const DEPTHWISE_CONV2D_KEYS = reuseKeys<DepthwiseConv2dOptions>()([
  'kernelSize',
  'strides',
  'padding',
  'depthMultiplier',
  'dataFormat',
  'dilationRate',
  ...namedKernelsKeys(KERNELS),
  ...BASE_LAYER_KEYS,
]);

/** The JSON config in a depthwiseConv2d layer's spec (`trellis/depthwiseConv2d`). */
export type DepthwiseConv2dConfig = BaseLayerConfig & {readonly depthMultiplier: number} & ConvWindowConfig &
  NamedKernelsConfig<'depthwise'>;

/** A depthwiseConv2d layer: options (tuples normalized to `[height, width]`) and weights. */
export interface DepthwiseConv2dLayer extends SymbolicLayer<DepthwiseConv2dConfig>, ConvWindow, NamedKernelsSettings<'depthwise'> {
  readonly depthMultiplier: number;
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

type Settings = KernelLayerSettings<DepthwiseConv2dLayer>;

interface DepthwiseConv2d extends Settings {}

class DepthwiseConv2d extends KernelLayerBase implements DepthwiseConv2dLayer {
  constructor(options: DepthwiseConv2dOptions) {
    super();
    const kind = 'depthwiseConv2d';
    const window = checkConvWindow(kind, options, 2, true);
    const depthMultiplier = checkPositiveInteger(kind, 'depthMultiplier', options.depthMultiplier ?? 1, 'filters per input channel');
    this.setIdentity(kind, options);
    const settings: Settings = {
      ...window,
      depthMultiplier,
      ...checkNamedKernels(kind, options, KERNELS),
    };
    Object.assign(this, settings);
  }

  get spec(): Spec<DepthwiseConv2dConfig> {
    return layerSpec('trellis/depthwiseConv2d', this, {
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      depthMultiplier: this.depthMultiplier,
      dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate],
      ...namedKernelsConfig(this, KERNELS),
    });
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const spatial = convOutputSpatial(layerLabel('depthwiseConv2d', this.name), inputShape, this.inputShape, this, 2);
    return [...spatial, inputShape[2]! * this.depthMultiplier];
  }

  build(inputShape: Shape, context: BuildContext): Shape {
    const output = this.computeOutputShape(inputShape);
    const channels = inputShape[2]!;
    const kernel = addNamedKernel(context, this, 'depthwise', 'kernel', [...this.kernelSize, channels, this.depthMultiplier]);
    this.setBuilt(inputShape, kernel, addBias(context, this, channels * this.depthMultiplier));
    return output;
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const label = layerLabel('depthwiseConv2d', this.name);
    const {kernel, bias} = this.builtWeights(label, input);
    return tf.tidy(() => {
      const y = depthwiseConvolve(input, kernel, this);
      return addBiasAndActivate(this, y, bias, context);
    });
  }
}
