/**
 * The base of the layers without weights: `build` checks the input shape
 * through `computeOutputShape` and remembers it for `call` (internal).
 * @module
 */
import {StateError, type BuildContext, type Shape} from '@trellis/core';
import {checkCallShape} from './common';
import {SymbolicLayerBase} from './symbolic-layer';

/** A single-input layer without weights whose `build` only checks and remembers the input shape. */
export abstract class WeightlessLayerBase extends SymbolicLayerBase {
  #built: Shape | null = null;
  #output: Shape | null = null;

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  abstract computeOutputShape(inputShape: Shape): Shape;

  /** Checks `inputShape` (without the batch), remembers it and the output shape, and returns a copy of the latter; creates nothing. */
  build(inputShape: Shape, _context: BuildContext): Shape {
    const output = this.computeOutputShape(inputShape);
    this.#built = [...inputShape];
    this.#output = output;
    return [...output];
  }

  /** The input shape of the last `build`, or null before it. */
  protected get builtShape(): Shape | null {
    return this.#built;
  }

  /**
   * The input and output shapes of the last `build` (without the batch),
   * after checking that `inputShape` (with the batch) fits the former with
   * `check` (default: exactly `[batch, ...built]`).
   * @throws StateError before `build`; what `check` throws (a ShapeError) for another shape.
   */
  protected checkBuilt(
    label: string,
    inputShape: readonly number[],
    check: (label: string, inputShape: readonly number[], built: Shape) => void = checkCallShape,
  ): {readonly built: Shape; readonly output: Shape} {
    if (!this.#built || !this.#output) throw new StateError(`${label} was called before it was built.`);
    check(label, inputShape, this.#built);
    return {built: this.#built, output: this.#output};
  }
}
