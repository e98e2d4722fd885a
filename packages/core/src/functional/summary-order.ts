/**
 * What Keras' `model.summary()` shows of a functional model: its layers in
 * Keras' order (by depth from the outputs), whether the graph is a simple
 * chain, and each layer's "Connected to" (internal).
 * @module
 */
import type {Layer, MultiInputLayer, Shape} from '../spec/layer';
import type {SymbolicTensor} from './symbolic';

/** An input or a layer: what Keras calls an operation. */
type Operation = SymbolicTensor | Layer | MultiInputLayer;

/** One row of the summary. */
export type SummaryEntry = {
  /** A model input (an `InputLayer` row) or a layer. */
  readonly operation: Operation;
  /** Output shape without batch: the last application's, as Keras shows. */
  readonly outputShape: Shape;
  /** `inbound[node][tensor]` of each input of each application, e.g. `['shared[0][0]', 'dense[0][0]']`. */
  readonly connectedTo: readonly string[];
};

const operationOf = (t: SymbolicTensor): Operation => (t.source.kind === 'input' ? t : t.source.layer);
const parentsOf = (t: SymbolicTensor): readonly SymbolicTensor[] => (t.source.kind === 'input' ? [] : t.source.inputs);

/**
 * Keras' `Functional` layer order and summary layout for the graph from
 * `inputs` to `outputs`: operations sorted by depth (the longest path to an
 * output, deepest first), ties in the order a depth-first walk from the
 * outputs meets them; `sequentialLike` when every depth holds one node with
 * at most one input and no layer is applied twice (Keras then prints no
 * "Connected to" column).
 */
export function summaryOrder(
  inputs: readonly SymbolicTensor[],
  outputs: readonly SymbolicTensor[],
): {entries: SummaryEntry[]; sequentialLike: boolean} {
  // Keras' _build_map: operation indices in pre-order, nodes in post-order.
  const indexOf = new Map<Operation, number>();
  const finished = new Set<SymbolicTensor>();
  const postOrder: SymbolicTensor[] = [];
  const visit = (t: SymbolicTensor): void => {
    if (finished.has(t)) return;
    const operation = operationOf(t);
    if (!indexOf.has(operation)) indexOf.set(operation, indexOf.size);
    if (!inputs.includes(t)) for (const parent of parentsOf(t)) visit(parent);
    finished.add(t);
    postOrder.push(t);
  };
  for (const output of outputs) visit(output);

  // Keras' map_graph: node depth = max over consumers of their depth + 1; an
  // operation takes the largest depth of its nodes.
  const nodeDepth = new Map<SymbolicTensor, number>();
  const operationDepth = new Map<Operation, number>();
  for (const t of [...postOrder].reverse()) {
    const operation = operationOf(t);
    const depth = Math.max(nodeDepth.get(t) ?? 0, operationDepth.get(operation) ?? 0);
    operationDepth.set(operation, depth);
    nodeDepth.set(t, depth);
    for (const parent of parentsOf(t)) nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
  }
  const operations = [...operationDepth.keys()].sort(
    (a, b) => operationDepth.get(b)! - operationDepth.get(a)! || indexOf.get(a)! - indexOf.get(b)!,
  );

  const nodesAtDepth = new Map<number, SymbolicTensor[]>();
  for (const [t, depth] of nodeDepth) nodesAtDepth.set(depth, [...(nodesAtDepth.get(depth) ?? []), t]);
  const nodesOf = (operation: Operation) =>
    postOrder.filter((t) => operationOf(t) === operation).sort((a, b) => nodeIndexOf(a) - nodeIndexOf(b));
  const sequentialLike =
    [...nodesAtDepth.values()].every((nodes) => nodes.length === 1 && parentsOf(nodes[0]!).length <= 1) &&
    operations.every((operation) => nodesOf(operation).length <= 1);

  const entries = operations.map((operation): SummaryEntry => {
    const nodes = nodesOf(operation);
    const connectedTo = nodes.flatMap((t) => parentsOf(t).map((p) => `${p.name}[${nodeIndexOf(p)}][0]`));
    return {operation, outputShape: nodes[nodes.length - 1]!.shape, connectedTo};
  });
  return {entries, sequentialLike};
}

function nodeIndexOf(t: SymbolicTensor): number {
  return t.source.kind === 'input' ? 0 : t.source.nodeIndex;
}
