/**
 * `layer.apply(x)`: every layer of this package can be applied to symbolic
 * tensors to wire a functional model (`model({inputs, outputs})`).
 * @module
 */
import {applyLayer, type Json, type Layer, type MultiInputLayer, type SymbolicTensor} from '@trellis/core';

/** A layer that can be applied to a symbolic tensor (Keras' `layer(x)` on a `KerasTensor`). */
export interface SymbolicLayer<C extends Json = Json> extends Layer<C> {
  /**
   * Records this layer applied to `input` and returns the symbolic output
   * (shape from `computeOutputShape`). Nothing is computed or built; applying
   * the layer again shares its weights.
   * @throws ShapeError for a shape the layer cannot take.
   */
  apply(input: SymbolicTensor): SymbolicTensor;
}

/** A merge layer that can be applied to symbolic tensors. */
export interface SymbolicMergeLayer<C extends Json = Json> extends MultiInputLayer<C> {
  /** Records this layer applied to `inputs` (one per input) and returns the symbolic output. */
  apply(inputs: readonly SymbolicTensor[]): SymbolicTensor;
}

/** The base of this package's single-input layers: provides {@link SymbolicLayer.apply}. */
export abstract class SymbolicLayerBase {
  apply(this: Layer, input: SymbolicTensor): SymbolicTensor {
    return applyLayer(this, input);
  }
}

/** The base of this package's merge layers: provides {@link SymbolicMergeLayer.apply}. */
export abstract class SymbolicMergeBase {
  apply(this: MultiInputLayer, inputs: readonly SymbolicTensor[]): SymbolicTensor {
    return applyLayer(this, inputs);
  }
}
