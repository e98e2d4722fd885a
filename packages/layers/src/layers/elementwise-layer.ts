/**
 * The shared part of the weightless activation layers (internal):
 * `layers.leakyRelu`, `layers.relu`, `layers.elu`, `layers.softmax`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {type CallContext, type Json, type Layer, type Shape, type Spec, optionKeys} from '@trellis/core';
import {checkBuildShape, checkCallShape, layerLabel, notBuiltError} from './common';
import {WeightlessLayerBase} from './weightless-layer';
import {layerSpec} from './layer-spec';

/** The options every layer takes: its input shape and name (all an activation layer takes). */
export type BaseLayerOptions = {
  /** Input shape without the batch dimension, for the first layer of a model. */
  readonly inputShape?: Shape;
  /** Unique within a model; empty (default) lets the model choose. */
  readonly name?: string;
};

/** The names of {@link BaseLayerOptions}, for the option lists of the layers. */
export const BASE_LAYER_KEYS = optionKeys<BaseLayerOptions>({inputShape: true, name: true});

/** The config fields every layer's spec holds: its name and input shape. */
export type BaseLayerConfig = {
  readonly name: string;
  readonly inputShape?: readonly number[];
};

/**
 * A layer without weights whose output has the input's shape. Subclasses give
 * the kind (as in messages), the spec id's name (the factory's plain name in
 * the `layers` namespace), their own config and `compute`;
 * `call` checks the state and shape, casts to float32, and runs `compute` in
 * a `tf.tidy`.
 */
export abstract class ElementwiseLayer<C extends BaseLayerConfig & Json> extends WeightlessLayerBase implements Layer<C> {
  protected constructor(
    private readonly kind: string,
    private readonly specName: string,
    options: BaseLayerOptions,
  ) {
    super();
    this.setIdentity(kind, options);
  }

  /** The layer's own config fields (without `name` and `inputShape`). */
  protected abstract ownConfig(): Omit<C, keyof BaseLayerConfig>;

  /** The output for a float32 input `[batch, ...builtShape]`, inside a `tf.tidy`. */
  protected abstract compute(x: tf.Tensor): tf.Tensor;

  /** Further checks of the build shape (e.g. the softmax axis); throws ShapeError. */
  protected checkShape(_label: string, _inputShape: Shape): void {}

  protected get label(): string {
    return layerLabel(this.kind, this.name);
  }

  get spec(): Spec<C> {
    return layerSpec(`trellis/${this.specName}`, this, this.ownConfig() as unknown as Omit<C, 'name' | 'inputShape'>);
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    checkBuildShape(this.label, inputShape, this.inputShape);
    this.checkShape(this.label, inputShape);
    return [...inputShape];
  }

  call(input: tf.Tensor, _context: CallContext): tf.Tensor {
    const label = this.label;
    if (!this.builtShape) {
      throw notBuiltError(label);
    }
    checkCallShape(label, input.shape, this.builtShape);
    return tf.tidy(() => this.compute(input.dtype === 'float32' ? input : tf.cast(input, 'float32')));
  }
}
