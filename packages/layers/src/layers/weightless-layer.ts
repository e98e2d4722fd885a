/**
 * The base of the layers without weights: `build` checks the input shape
 * through `computeOutputShape` and remembers it for `call` (internal).
 * @module
 */
import type {BuildContext, Shape} from '@trellis/core';
import {SymbolicLayerBase} from './symbolic-layer';

/** A single-input layer without weights whose `build` only checks and remembers the input shape. */
export abstract class WeightlessLayerBase extends SymbolicLayerBase {
  #built: Shape | null = null;

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  abstract computeOutputShape(inputShape: Shape): Shape;

  /** Checks `inputShape` (without the batch), remembers it and returns the output shape; creates nothing. */
  build(inputShape: Shape, _context: BuildContext): Shape {
    const output = this.computeOutputShape(inputShape);
    this.#built = [...inputShape];
    return output;
  }

  /** The input shape of the last `build`, or null before it. */
  protected get builtShape(): Shape | null {
    return this.#built;
  }
}
