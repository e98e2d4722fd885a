/**
 * The convolution shared by `conv1d` and `conv2d` (Keras `BaseConv`), and the
 * spec config they share with `conv2dTranspose`, internal.
 * @module
 */
import {knownOptions, reuseKeys} from '../option-keys';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, describe, type BuildContext, type CallContext, type Shape, type Spec} from '@trellis/core';
import {layerLabel} from './common';
import {
  KERNEL_BIAS_KEYS,
  checkKernelBiasOptions,
  kernelBiasConfig,
  type KernelBiasConfig,
  type KernelBiasOptions,
  type KernelBiasSettings,
} from './kernel-bias-options';
import {addBias, addBiasAndActivate, addKernel} from './kernel-bias-weights';
import {CONV_WINDOW_KEYS, convOutputSpatial, convWindowConfig, type ConvWindowConfig} from './conv-window-options';
import {BASE_LAYER_KEYS, type BaseLayerConfig} from './elementwise-layer';
import {
  asFloat32,
  checkDataFormat,
  checkPadding,
  checkPositiveInteger,
  checkWindowSizes,
  convPadding,
  dilateKernel,
  type ConvWindow,
  type DataFormat,
  type Padding,
} from './conv-common';
import {KernelLayerBase, type KernelLayerSettings} from './kernel-layer';
import type {SymbolicLayer} from './symbolic-layer';

/** Options of a convolution over `rank` spatial axes. */
export type BaseConvOptions = {
  readonly filters: number;
  readonly kernelSize: number | readonly number[];
  readonly strides?: number | readonly number[];
  readonly padding?: Padding;
  readonly dataFormat?: DataFormat;
  readonly dilationRate?: number | readonly number[];
  readonly groups?: number;
} & KernelBiasOptions & {
    readonly inputShape?: Shape;
    readonly name?: string;
  };

/** The names of {@link BaseConvOptions}: what `conv1d` and `conv2d` accept. */
const BASE_CONV_KEYS = reuseKeys<BaseConvOptions>()(['filters', ...CONV_WINDOW_KEYS, 'groups', ...KERNEL_BIAS_KEYS, ...BASE_LAYER_KEYS]);

/**
 * Options of `conv1d` and `conv2d` (Keras `Conv1D`, `Conv2D` arguments in
 * camelCase): `kernelSize`, `strides` and `dilationRate` take one integer for
 * every spatial axis or a tuple `T` (`[length]`, `[height, width]`).
 */
export type ConvOptions<T extends readonly number[]> = BaseConvOptions & {
  /** Output channels; a positive integer. */
  readonly filters: number;
  /** The window, or one integer for every spatial axis. */
  readonly kernelSize: number | T;
  /** Default 1. Cannot exceed 1 together with `dilationRate` (as in Keras). */
  readonly strides?: number | T;
  /** Default 1. */
  readonly dilationRate?: number | T;
  /** Input shape without the batch dimension, `[...spatial, channels]`. */
  readonly inputShape?: Shape;
};

/** A `conv1d` (`rank` 1) or `conv2d` (`rank` 2) layer named `kind` from checked `options`. */
export function convLayer(kind: string, rank: 1 | 2, options: BaseConvOptions): BaseConvLayer {
  return new BaseConv(kind, rank, knownOptions(kind, options, BASE_CONV_KEYS));
}

/** The JSON config of a convolution's spec (`conv1d`, `conv2d`, `conv2dTranspose`). */
export type BaseConvConfig = BaseLayerConfig & {readonly filters: number} & ConvWindowConfig & KernelBiasConfig;

/**
 * The {@link BaseConvConfig} of a convolution with `filters` output channels:
 * its window, the kernel and bias options, and the input shape when given.
 */
export function baseConvConfig(
  layer: ConvWindow & KernelBiasSettings & {readonly name: string; readonly filters: number; readonly inputShape?: Shape},
): BaseConvConfig {
  return {
    name: layer.name,
    filters: layer.filters,
    ...convWindowConfig(layer),
    ...kernelBiasConfig(layer),
    ...(layer.inputShape ? {inputShape: [...layer.inputShape]} : {}),
  };
}

/** A convolution layer: the {@link Layer} contract plus its options and weights. */
export interface BaseConvLayer extends SymbolicLayer<BaseConvConfig>, ConvWindow, KernelBiasSettings {
  readonly filters: number;
  /** The kernel `[...kernelSize, inputChannels, filters]`, once built (owned by the model). */
  readonly kernel: tf.Variable | null;
  /** The bias `[filters]`, once built with `useBias` (owned by the model). */
  readonly bias: tf.Variable | null;
}

type BaseConvSettings = KernelLayerSettings<BaseConvLayer>;

interface BaseConv extends BaseConvSettings {}

/** A convolution over 1 (`conv1d`) or 2 (`conv2d`) spatial axes, channels last. */
class BaseConv extends KernelLayerBase implements BaseConvLayer {
  readonly #kind: string;
  readonly #rank: 1 | 2;

  constructor(kind: string, rank: 1 | 2, options: BaseConvOptions) {
    super();
    this.#kind = kind;
    this.#rank = rank;
    const filters = checkPositiveInteger(kind, 'filters', options.filters, 'output channels');
    const {kernelSize, strides, dilationRate} = checkWindowSizes(kind, options, rank, false);
    if (options.groups !== undefined && options.groups !== 1) {
      throw new ConfigError(
        `${kind}: groups must be 1; got ${describe(options.groups)}. Grouped convolutions are not supported ` +
          '(tfjs-core has no grouped convolution kernel); split the channels and use one layer per group instead.',
      );
    }
    this.setIdentity(kind, options);
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

  get spec(): Spec<BaseConvConfig> {
    return {id: `trellis/${this.#kind}`, config: baseConvConfig(this)};
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const spatial = convOutputSpatial(layerLabel(this.#kind, this.name), inputShape, this.inputShape, this, this.#rank);
    return [...spatial, this.filters];
  }

  build(inputShape: Shape, context: BuildContext): Shape {
    const output = this.computeOutputShape(inputShape);
    const channels = inputShape[this.#rank]!;
    const kernel = addKernel(context, this, [...this.kernelSize, channels, this.filters]);
    this.setBuilt(inputShape, kernel, addBias(context, this, this.filters));
    return output;
  }

  call(input: tf.Tensor, context: CallContext): tf.Tensor {
    const label = layerLabel(this.#kind, this.name);
    const {kernel, bias} = this.builtWeights(label, input);
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
      return addBiasAndActivate(this, y, bias, context);
    });
  }
}
