import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, describe, type CallContext, type Shape, type Spec, optionKeys} from '@trellis/core';
import {knownOptions} from '../option-keys';
import {checkBuildShape, layerLabel} from './common';
import {layerSpec} from './layer-spec';
import type {BaseLayerConfig} from './elementwise-layer';
import type {SymbolicLayer} from './symbolic-layer';
import {WeightlessLayerBase} from './weightless-layer';

/** Options of {@link rescaling}. */
export type RescalingOptions = {
  /** The factor, a finite number (Keras `scale`), e.g. `1 / 255`. Required. */
  readonly scale: number;
  /** Added after scaling, a finite number. Default 0 (Keras `offset`). */
  readonly offset?: number;
  /** Input shape without the batch dimension, for the first layer of a model. */
  readonly inputShape?: Shape;
  /** Unique within a model; empty (default) lets the model choose (`rescaling`). */
  readonly name?: string;
};

/** The names of {@link RescalingOptions}: what {@link rescaling} accepts. */
const RESCALING_KEYS = optionKeys<RescalingOptions>({scale: true, offset: true, inputShape: true, name: true});

/** The JSON config in a rescaling layer's spec (`trellis/rescaling`). */
export type RescalingConfig = BaseLayerConfig & {
  readonly scale: number;
  readonly offset: number;
};

/** A rescaling layer: the {@link Layer} contract plus its options. */
export interface RescalingLayer extends SymbolicLayer<RescalingConfig> {
  readonly scale: number;
  readonly offset: number;
}

/**
 * `x · scale + offset` (Keras `Rescaling`), e.g. `rescaling({scale: 1 / 255})`
 * for pixels in [0, 1] or `{scale: 1 / 127.5, offset: -1}` for [-1, 1]. The
 * same in training and inference; no weights.
 *
 * Shapes: any `[batch, ...inputShape]` → the same, float32 (int32 pixels are
 * cast). `call` returns a new tensor owned by the caller and disposes nothing.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError if `scale` or `offset` is not a finite number.
 */
export function rescaling(options: RescalingOptions): RescalingLayer {
  return new Rescaling(knownOptions('rescaling', options, RESCALING_KEYS));
}

const KIND = 'rescaling';

class Rescaling extends WeightlessLayerBase implements RescalingLayer {
  readonly scale: number;
  readonly offset: number;

  constructor(options: RescalingOptions) {
    super();
    const {scale, offset = 0} = options;
    for (const [option, value] of [
      ['scale', scale],
      ['offset', offset],
    ] as const) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new ConfigError(`${KIND}: ${option} must be a finite number; got ${describe(value)}.`);
      }
    }
    this.setIdentity(KIND, options);
    this.scale = scale;
    this.offset = offset;
  }

  get spec(): Spec<RescalingConfig> {
    return layerSpec('trellis/rescaling', this, {
      scale: this.scale,
      offset: this.offset,
    });
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    checkBuildShape(layerLabel(KIND, this.name), inputShape, this.inputShape);
    return [...inputShape];
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    const label = layerLabel(KIND, this.name);
    this.checkBuilt(label, input.shape);
    return tf.tidy(() => {
      const x = input.dtype === 'float32' ? input : tf.cast(input, 'float32');
      return tf.add(tf.mul(x, this.scale), this.offset);
    });
  }
}
