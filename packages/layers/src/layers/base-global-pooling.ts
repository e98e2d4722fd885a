/**
 * The whole-sample pooling shared by `globalAveragePooling1d/2d` and
 * `globalMaxPooling1d/2d` (Keras `BaseGlobalPooling`), internal.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {type CallContext, type Shape, type Spec, optionKeys} from '@trellis/core';
import {knownOptions} from '../option-keys';
import {layerSpec} from './layer-spec';
import {asFloat32, checkDataFormat, type DataFormat} from './conv-common';
import {checkBoolean} from './option-checks';
import type {BaseLayerConfig} from './elementwise-layer';
import type {SymbolicLayer} from './symbolic-layer';
import {PoolingLayerBase, type PoolingMode} from './pooling-layer';

/** Options of a global pooling layer. */
export type BaseGlobalPoolingOptions = {
  /** Keep the pooled spatial axes with size 1. Default false (Keras `keepdims=False`). */
  readonly keepdims?: boolean;
  readonly dataFormat?: DataFormat;
  readonly inputShape?: Shape;
  readonly name?: string;
};

/** The names of {@link BaseGlobalPoolingOptions}: what the global pooling layers accept. */
const BASE_GLOBAL_POOLING_KEYS = optionKeys<BaseGlobalPoolingOptions>({
  keepdims: true,
  dataFormat: true,
  inputShape: true,
  name: true,
});

/** The JSON config of a global pooling layer's spec. */
export type BaseGlobalPoolingConfig = BaseLayerConfig & {
  readonly keepdims: boolean;
  readonly dataFormat: DataFormat;
};

/** A global pooling layer with its resolved options. */
export interface BaseGlobalPoolingLayer extends SymbolicLayer<BaseGlobalPoolingConfig> {
  readonly keepdims: boolean;
  readonly dataFormat: DataFormat;
}

/**
 * The factory of the global pooling layer `kind` over `rank` spatial axes
 * taking their `mode`: each layer it makes checks its options first.
 * @returns a factory named `kind` whose layers throw a ConfigError for an unknown option (the message names it and
 *   suggests the closest valid one), or an invalid one.
 */
export function globalPoolingFactory(
  kind: string,
  rank: 1 | 2,
  mode: PoolingMode,
): (options?: BaseGlobalPoolingOptions) => BaseGlobalPoolingLayer {
  const factory = (options: BaseGlobalPoolingOptions = {}): BaseGlobalPoolingLayer =>
    new BaseGlobalPooling(kind, rank, mode, knownOptions(kind, options, BASE_GLOBAL_POOLING_KEYS));
  return Object.defineProperty(factory, 'name', {value: kind});
}

/** Max or mean over every spatial axis, channels last. */
class BaseGlobalPooling extends PoolingLayerBase implements BaseGlobalPoolingLayer {
  readonly keepdims: boolean;
  readonly dataFormat: DataFormat;

  constructor(kind: string, rank: 1 | 2, mode: PoolingMode, options: BaseGlobalPoolingOptions) {
    super(kind, rank, mode);
    this.keepdims = checkBoolean(kind, 'keepdims', options.keepdims, false);
    this.dataFormat = checkDataFormat(kind, options.dataFormat);
    this.setIdentity(kind, options);
  }

  get spec(): Spec<BaseGlobalPoolingConfig> {
    return layerSpec(`trellis/${this.kind}`, this, {
      keepdims: this.keepdims,
      dataFormat: this.dataFormat,
    });
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    this.checkSpatialInput(inputShape);
    const channels = inputShape[this.rank]!;
    return this.keepdims ? [...inputShape.slice(0, this.rank).map(() => 1), channels] : [channels];
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    this.checkCallInput(input);
    const axes = this.rank === 2 ? [1, 2] : [1];
    return tf.tidy(() => {
      const x = asFloat32(input);
      return this.mode === 'max' ? tf.max(x, axes, this.keepdims) : tf.mean(x, axes, this.keepdims);
    });
  }
}
