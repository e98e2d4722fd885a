/**
 * The whole-sample pooling shared by `globalAveragePooling1d/2d` and
 * `globalMaxPooling1d/2d` (Keras `BaseGlobalPooling`), internal.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {StateError, type BuildContext, type CallContext, type Shape, type Spec, optionKeys} from '@trellis/core';
import {checkBuildShape, checkInputShape, checkName, layerLabel} from './common';
import {asFloat32, checkChannels, checkDataFormat, checkSpatialRank, type DataFormat} from './conv-common';
import {checkBoolean} from './option-checks';
import {type SymbolicLayer, SymbolicLayerBase} from './symbolic-layer';

/** Options of a global pooling layer. */
export type BaseGlobalPoolingOptions = {
  /** Keep the pooled spatial axes with size 1. Default false (Keras `keepdims=False`). */
  readonly keepdims?: boolean;
  readonly dataFormat?: DataFormat;
  readonly inputShape?: Shape;
  readonly name?: string;
};

/** The names of {@link BaseGlobalPoolingOptions}: what the global pooling layers accept. */
export const BASE_GLOBAL_POOLING_KEYS = optionKeys<BaseGlobalPoolingOptions>({
  keepdims: true,
  dataFormat: true,
  inputShape: true,
  name: true,
});

/** The JSON config of a global pooling layer's spec. */
export type BaseGlobalPoolingConfig = {
  readonly name: string;
  readonly keepdims: boolean;
  readonly dataFormat: DataFormat;
  readonly inputShape?: readonly number[];
};

/** A global pooling layer with its resolved options. */
export interface BaseGlobalPoolingLayer extends SymbolicLayer<BaseGlobalPoolingConfig> {
  readonly keepdims: boolean;
  readonly dataFormat: DataFormat;
}

/** Max or mean over every spatial axis, channels last. */
export class BaseGlobalPooling extends SymbolicLayerBase implements BaseGlobalPoolingLayer {
  name: string;
  readonly inputShape?: Shape;
  readonly keepdims: boolean;
  readonly dataFormat: DataFormat;
  readonly #kind: string;
  readonly #rank: 1 | 2;
  readonly #mode: 'max' | 'average';
  #built: Shape | null = null;

  constructor(kind: string, rank: 1 | 2, mode: 'max' | 'average', options: BaseGlobalPoolingOptions) {
    super();
    this.#kind = kind;
    this.#rank = rank;
    this.#mode = mode;
    this.keepdims = checkBoolean(kind, 'keepdims', options.keepdims, false);
    this.dataFormat = checkDataFormat(kind, options.dataFormat);
    this.name = checkName(kind, options.name);
    const inputShape = checkInputShape(kind, options.inputShape);
    if (inputShape) this.inputShape = inputShape;
  }

  get spec(): Spec<BaseGlobalPoolingConfig> {
    return {
      id: `trellis/${this.#kind}`,
      config: {
        name: this.name,
        keepdims: this.keepdims,
        dataFormat: this.dataFormat,
        ...(this.inputShape ? {inputShape: [...this.inputShape]} : {}),
      },
    };
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    const label = layerLabel(this.#kind, this.name);
    checkBuildShape(label, inputShape, this.inputShape);
    checkSpatialRank(label, inputShape, this.#rank);
    const channels = inputShape[this.#rank]!;
    return this.keepdims ? [...inputShape.slice(0, this.#rank).map(() => 1), channels] : [channels];
  }

  build(inputShape: Shape, _context: BuildContext): Shape {
    const output = this.computeOutputShape(inputShape);
    this.#built = [...inputShape];
    return output;
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    const label = layerLabel(this.#kind, this.name);
    if (!this.#built) throw new StateError(`${label} was called before it was built.`);
    checkChannels(label, input.shape, this.#built);
    const axes = this.#rank === 2 ? [1, 2] : [1];
    return tf.tidy(() => {
      const x = asFloat32(input);
      return this.#mode === 'max' ? tf.max(x, axes, this.keepdims) : tf.mean(x, axes, this.keepdims);
    });
  }
}
