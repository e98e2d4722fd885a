import * as tf from '@tensorflow/tfjs-core';
import {type BuildContext, type CallContext, type Shape, type Spec} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import {baseConvConfig, type BaseConvConfig, type BaseConvLayer} from './base-conv';
import {checkBuildShape, layerLabel, notBuiltError} from './common';
import {KERNEL_BIAS_KEYS, checkKernelBiasOptions, type KernelBiasOptions} from './kernel-bias-options';
import {addBias, addBiasAndActivate, addKernel} from './kernel-bias-weights';
import {CONV_WINDOW_KEYS, type ConvWindow2dOptions} from './conv-window-options';
import {BASE_LAYER_KEYS, type BaseLayerOptions} from './elementwise-layer';
import {asFloat32, checkConvWindow, checkPositiveInteger, checkSpatialRank, convPadding, dilateKernel, dilatedSize} from './conv-common';
import {KernelLayerBase, type KernelLayerSettings} from './kernel-layer';

/** Options of {@link conv2dTranspose} (Keras `Conv2DTranspose` arguments in camelCase). */
export type Conv2dTransposeOptions = {
  /** Output channels; a positive integer. */
  readonly filters: number;
} & ConvWindow2dOptions & {
    /** Upsampling factors; default 1. Cannot exceed 1 together with `dilationRate` (as in Keras). */
    readonly strides?: number | readonly [number, number];
  } & KernelBiasOptions &
  BaseLayerOptions;

/** The names of {@link Conv2dTransposeOptions}: what {@link conv2dTranspose} accepts. */
const CONV2D_TRANSPOSE_KEYS = reuseKeys<Conv2dTransposeOptions>()([
  'filters',
  ...CONV_WINDOW_KEYS,
  ...KERNEL_BIAS_KEYS,
  ...BASE_LAYER_KEYS,
]);

/** The JSON config in a conv2dTranspose layer's spec (`trellis/conv2dTranspose`). */
export type Conv2dTransposeConfig = BaseConvConfig;

/** A conv2dTranspose layer: options (tuples normalized to `[height, width]`) and weights. */
export interface Conv2dTransposeLayer extends BaseConvLayer {
  /** The kernel `[kernelHeight, kernelWidth, filters, inputChannels]` (Keras' layout), once built. */
  readonly kernel: tf.Variable | null;
}

/**
 * A transposed 2-D convolution, the gradient of a convolution with respect to
 * its input (Keras `Conv2DTranspose`, `channels_last` only): it maps each input
 * pixel through the kernel onto an output `strides` times larger.
 *
 * Weights: `kernel` `[kernelHeight, kernelWidth, filters, inputChannels]` (Keras'
 * layout: output channels before input channels) and, with `useBias`, `bias`
 * `[filters]`, float32, owned by the model. Defaults as in Keras.
 *
 * Shapes: `[batch, h, w, c]` → `[batch, h', w', filters]`, per axis with the dilated
 * kernel `k_d = (k - 1)·d + 1`: `'same'` gives `n·s`, `'valid'` gives
 * `(n - 1)·s + max(k_d, s)` (Keras without `output_padding`, which is not supported).
 * Non-float32 inputs are cast to float32.
 *
 * `call` returns a new tensor owned by the caller, disposes nothing and runs in its own
 * `tf.tidy`. Dilated kernels are expanded with zeros (tfjs-core has no dilated
 * transposed convolution).
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for invalid options, `'channelsFirst'`, or strides and dilation both above 1.
 * @throws ShapeError from `build` for an input that is not `[h, w, c]`; from `call` for
 *   another input shape than the built one.
 */
export function conv2dTranspose(options: Conv2dTransposeOptions): Conv2dTransposeLayer {
  return new Conv2dTranspose(knownOptions('conv2dTranspose', options, CONV2D_TRANSPOSE_KEYS));
}

type Settings = KernelLayerSettings<Conv2dTransposeLayer>;

interface Conv2dTranspose extends Settings {}

class Conv2dTranspose extends KernelLayerBase implements Conv2dTransposeLayer {
  #output: Shape | null = null;

  constructor(options: Conv2dTransposeOptions) {
    super();
    const kind = 'conv2dTranspose';
    const filters = checkPositiveInteger(kind, 'filters', options.filters, 'output channels');
    const window = checkConvWindow(kind, options, 2, false);
    this.setIdentity(kind, options);
    const settings: Settings = {
      filters,
      ...window,
      ...checkKernelBiasOptions(kind, options),
    };
    Object.assign(this, settings);
  }

  get spec(): Spec<Conv2dTransposeConfig> {
    return {id: 'trellis/conv2dTranspose', config: baseConvConfig(this)};
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = layerLabel('conv2dTranspose', this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    checkSpatialRank(label, inputShape, 2);
    const spatial = [0, 1].map((i) => {
      const n = inputShape[i]!;
      const s = this.strides[i]!;
      const k = dilatedSize(this.kernelSize[i]!, this.dilationRate[i]!);
      return this.padding === 'same' ? n * s : (n - 1) * s + Math.max(k, s);
    });
    return [...spatial, this.filters];
  }

  build(inputShape: Shape, context: BuildContext): Shape {
    const output = this.computeOutputShape(inputShape);
    const kernel = addKernel(context, this, [...this.kernelSize, this.filters, inputShape[2]!]);
    this.setBuilt(inputShape, kernel, addBias(context, this, this.filters));
    this.#output = output;
    return [...output];
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const label = layerLabel('conv2dTranspose', this.name);
    const {kernel, bias} = this.builtWeights(label, input);
    const output = this.#output;
    if (!output) throw notBuiltError(label);
    return tf.tidy(() => {
      const x = asFloat32(input) as tf.Tensor4D;
      const k = dilateKernel(kernel, this.dilationRate) as tf.Tensor4D;
      // The padding of the convolution this one transposes (from the output back to the input).
      const pad = convPadding(this.padding, output.slice(0, 2), k.shape.slice(0, 2), this.strides);
      const y = tf.conv2dTranspose(x, k, [input.shape[0]!, output[0]!, output[1]!, output[2]!], this.strides as [number, number], pad);
      return addBiasAndActivate(this, y, bias, context);
    });
  }
}
