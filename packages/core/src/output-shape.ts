/**
 * Output shapes of layers without building them.
 * @module
 */
import {ConfigError} from './errors';
import {isMultiInputLayer, type Layer, type MultiInputLayer, type Shape} from './spec/layer';

/**
 * The output shape (without batch) `layer` gives for inputs of shape
 * `[batch, ...inputShape]` (Keras' `layer.compute_output_shape`), through the
 * layer's `computeOutputShape`. Creates no weights and no tensors and does not
 * build the layer.
 *
 * @throws ShapeError (from the layer) for an input shape the layer cannot take.
 * @throws ConfigError when the layer does not implement `computeOutputShape`.
 *
 * @example
 * outputShapeOf(dense({units: 10}), [28, 784]); // → [28, 10]
 */
export function outputShapeOf(layer: Layer, inputShape: Shape): Shape;
/** The output shape of a merge layer for one input shape (without batch) per input. */
export function outputShapeOf(layer: MultiInputLayer, inputShapes: readonly Shape[]): Shape;
export function outputShapeOf(layer: Layer | MultiInputLayer, shapes: Shape | readonly Shape[]): Shape {
  const compute = (layer as {computeOutputShape?: unknown}).computeOutputShape;
  if (typeof compute !== 'function') {
    const id = layer.spec?.id ?? 'unknown';
    const argument = isMultiInputLayer(layer) ? 'inputShapes: readonly Shape[]' : 'inputShape: Shape';
    throw new ConfigError(
      `outputShapeOf: layer '${layer.name}' (${id}) has no computeOutputShape method, so its output shape is not ` +
        `known without building it. Implement computeOutputShape(${argument}): Shape on the layer, returning what ` +
        'build returns without creating weights.',
    );
  }
  return (compute as (s: Shape | readonly Shape[]) => Shape).call(layer, shapes);
}
