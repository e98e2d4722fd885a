/**
 * The applications of each layer in a functional model's graph (internal).
 * @module
 */
import type {FunctionalModel, Layer, MultiInputLayer, SymbolicTensor} from '@trellis/core';

/**
 * Each layer's applications in a functional model's graph (the tensors it made), sorted by node
 * index: a tensor's index in its layer's list is Keras' node index.
 */
export function layerApplications(model: FunctionalModel): Map<Layer | MultiInputLayer, SymbolicTensor[]> {
  const out = new Map<Layer | MultiInputLayer, SymbolicTensor[]>();
  const seen = new Set<SymbolicTensor>();
  const visit = (t: SymbolicTensor): void => {
    if (seen.has(t)) return;
    seen.add(t);
    if (t.source.kind !== 'layer') return;
    for (const parent of t.source.inputs) visit(parent);
    const list = out.get(t.source.layer) ?? [];
    list.push(t);
    out.set(t.source.layer, list);
  };
  for (const t of model.outputs) visit(t);
  for (const list of out.values()) list.sort((a, b) => nodeIndex(a) - nodeIndex(b));
  return out;
}

function nodeIndex(t: SymbolicTensor): number {
  return t.source.kind === 'layer' ? t.source.nodeIndex : 0;
}
