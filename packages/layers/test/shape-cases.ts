/**
 * Short forms for tables of shapes in the tests of this package (not
 * exported): an input shape and the output shape a layer gives for it.
 * @module
 */
import type {Shape} from '@trellis/core';

/** A list of shapes: the inputs of a merge layer, or shapes a layer refuses. */
export function shapes(...list: Shape[]): readonly Shape[] {
  return list;
}

/** An input (a shape, or the shapes of a merge layer's inputs) and the output shape a layer gives for it. */
export function gives<Input extends Shape | readonly Shape[]>(input: Input, output: Shape): readonly [Input, Shape] {
  return [input, output];
}

/** An input shape a layer gives back unchanged, as the pair `[shape, shape]`. */
export function same(shape: Shape): readonly [Shape, Shape] {
  return [shape, shape];
}

/** The per-side amounts of a 2-D cropping or padding option: `[[top, bottom], [left, right]]`. */
export function sides(
  top: number,
  bottom: number,
  left: number,
  right: number,
): readonly [readonly [number, number], readonly [number, number]] {
  return [
    [top, bottom],
    [left, right],
  ];
}
