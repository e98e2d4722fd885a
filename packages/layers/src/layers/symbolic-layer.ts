/**
 * `layer.apply(x)`: every layer of this package can be applied to symbolic
 * tensors to wire a functional model (`model({inputs, outputs})`), or to
 * concrete tensors to run it eagerly (Keras' `layer(x)`).
 * @module
 */
import type {Tensor} from '@tensorflow/tfjs-core';
import {applyLayer, type Json, type Layer, type MultiInputLayer, type Shape, type SymbolicTensor} from '@trellis/core';
import {checkInputShape, checkName} from './common';

/** A layer that can be applied to a symbolic tensor (Keras' `layer(x)` on a `KerasTensor`). */
export interface SymbolicLayer<C extends Json = Json> extends Layer<C> {
  /**
   * Records this layer applied to `input` and returns the symbolic output
   * (shape from `computeOutputShape`). Nothing is computed or built; applying
   * the layer again shares its weights.
   * @throws ShapeError for a shape the layer cannot take.
   */
  apply(input: SymbolicTensor): SymbolicTensor;
  /**
   * Runs the layer on `input` now (Keras' `layer(x)` on a tensor) and returns a
   * new tensor owned by the caller. Inside a subclassed model's `call` it gets
   * the model's context (training or not) and the layer builds itself on its
   * first call; elsewhere it runs in inference mode on a built layer.
   * @throws StateError from the layer when it is not built (and not a layer of a subclassed model).
   */
  apply(input: Tensor): Tensor;
}

/** A merge layer that can be applied to symbolic tensors. */
export interface SymbolicMergeLayer<C extends Json = Json> extends MultiInputLayer<C> {
  /** Records this layer applied to `inputs` (one per input) and returns the symbolic output. */
  apply(inputs: readonly SymbolicTensor[]): SymbolicTensor;
  /** Runs the layer on `inputs` now (one per input), as {@link SymbolicLayer.apply} on a tensor. */
  apply(inputs: readonly Tensor[]): Tensor;
}

/**
 * The base of this package's single-input layers: their `name` and declared
 * `inputShape` (set by {@link SymbolicLayerBase.setIdentity}), and
 * {@link SymbolicLayer.apply}.
 */
export abstract class SymbolicLayerBase {
  name = '';
  readonly inputShape?: Shape;

  /**
   * Checks the `name` and `inputShape` options of the layer `kind` and keeps
   * them (`inputShape` only when given).
   * @throws ConfigError for an invalid name or inputShape.
   */
  protected setIdentity(kind: string, options: {readonly name?: unknown; readonly inputShape?: unknown}): void {
    this.name = checkName(kind, options.name);
    const inputShape = checkInputShape(kind, options.inputShape);
    if (inputShape) (this as {inputShape?: Shape}).inputShape = inputShape;
  }

  apply(this: Layer, input: SymbolicTensor): SymbolicTensor;
  apply(this: Layer, input: Tensor): Tensor;
  apply(this: Layer, input: SymbolicTensor | Tensor): SymbolicTensor | Tensor {
    return applyLayer(this, input as SymbolicTensor);
  }
}

/** The base of this package's merge layers: provides {@link SymbolicMergeLayer.apply}. */
export abstract class SymbolicMergeBase {
  apply(this: MultiInputLayer, inputs: readonly SymbolicTensor[]): SymbolicTensor;
  apply(this: MultiInputLayer, inputs: readonly Tensor[]): Tensor;
  apply(this: MultiInputLayer, inputs: readonly SymbolicTensor[] | readonly Tensor[]): SymbolicTensor | Tensor {
    return applyLayer(this, inputs as readonly SymbolicTensor[]);
  }
}
