/**
 * Weights and the layers that own them, by the `<layer>/<weight>` naming
 * every model uses (internal).
 * @module
 */
import type {Weight} from './weight-store';

/** The layer name of the weight `<layer>/<weight>`. */
function ownerOf(weightName: string): string {
  return weightName.slice(0, weightName.lastIndexOf('/'));
}

/** Whether the weight named `weightName` belongs to one of `layers` that is frozen (`trainable === false`). */
export function isFrozenWeight(weightName: string, layers: Iterable<{readonly name: string}>): boolean {
  const owner = ownerOf(weightName);
  for (const layer of layers) {
    if (layer.name === owner && (layer as {trainable?: boolean}).trainable === false) return true;
  }
  return false;
}

/** The weights of the layer named `layerName`, in creation order. */
export function weightsOfLayer(weights: readonly Weight[], layerName: string): Weight[] {
  return weights.filter((w) => ownerOf(w.name) === layerName);
}
