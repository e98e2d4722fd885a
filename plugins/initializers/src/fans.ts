/**
 * Fan-in and fan-out of a weight shape, as Keras computes them.
 * @module
 */

/**
 * `[fanIn, fanOut]` of a weight shape: a dense kernel `[in, out]` gives
 * `[in, out]`; a conv kernel `[...spatial, in, out]` multiplies both by the
 * receptive field size; a vector `[n]` gives `[n, n]`; a scalar `[1, 1]`.
 */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0]!, shape[0]!];
  if (shape.length === 2) return [shape[0]!, shape[1]!];
  const receptiveField = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2]! * receptiveField, shape[shape.length - 1]! * receptiveField];
}
