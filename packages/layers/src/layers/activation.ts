import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, describe, type CallContext, type Shape, type Spec} from '@trellis/core';
import {activationToName, getActivation} from '../activations/get-activation';
import type {Activation, ActivationIdentifier, ActivationJson} from '../activations/types';
import {knownOptions, reuseKeys} from '../option-keys';
import {checkBuildShape, layerLabel} from './common';
import {layerSpec} from './layer-spec';
import {BASE_LAYER_KEYS, type BaseLayerConfig, type BaseLayerOptions} from './elementwise-layer';
import type {SymbolicLayer} from './symbolic-layer';
import {WeightlessLayerBase} from './weightless-layer';

/** Options of {@link activation}. */
export type ActivationOptions = BaseLayerOptions & {
  /** A built-in name (`'relu'`) or an activation. Required. */
  readonly activation: ActivationIdentifier;
};

/** The names of {@link ActivationOptions}: what {@link activation} accepts. */
const ACTIVATION_KEYS = reuseKeys<ActivationOptions>()(['activation', ...BASE_LAYER_KEYS]);

/** The JSON config in an activation layer's spec (`trellis/activation`). */
export type ActivationLayerConfig = BaseLayerConfig & {
  /** A built-in name (`'relu'`), a built-in's spec when it has non-default options, or a custom activation's spec id. */
  readonly activation: ActivationJson;
};

/** An activation layer: the {@link Layer} contract plus the activation it applies. */
export interface ActivationLayer extends SymbolicLayer<ActivationLayerConfig> {
  readonly activation: Activation;
}

/**
 * Applies an activation to its input (Keras `Activation`); output shape =
 * input shape. No weights. `call` returns a new tensor owned by the caller
 * (for `linear`, a handle sharing the input's data) and disposes nothing;
 * non-float32 inputs are cast to float32.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws UnknownIdError for an unknown activation name; ConfigError for other bad options.
 */
export function activation(options: ActivationOptions): ActivationLayer {
  return new ActivationLayerImpl(knownOptions('activation', options, ACTIVATION_KEYS));
}

class ActivationLayerImpl extends WeightlessLayerBase implements ActivationLayer {
  readonly activation: Activation;

  constructor(options: ActivationOptions) {
    super();
    if (options.activation === undefined) {
      throw new ConfigError(`activation expects {activation: 'relu' | ...}; got ${describe(options)}.`);
    }
    this.setIdentity('activation', options);
    this.activation = getActivation(options.activation);
  }

  get spec(): Spec<ActivationLayerConfig> {
    return layerSpec('trellis/activation', this, {
      activation: activationToName(this.activation),
    });
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    checkBuildShape(layerLabel('activation', this.name), inputShape, this.inputShape);
    return [...inputShape];
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    const label = layerLabel('activation', this.name);
    this.checkBuilt(label, input.shape);
    return tf.tidy(() => this.activation(input.dtype === 'float32' ? input : tf.cast(input, 'float32')));
  }
}
