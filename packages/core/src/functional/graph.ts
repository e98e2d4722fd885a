/**
 * The graph between a functional model's inputs and outputs: its layer
 * applications in an order where every input is computed first (internal).
 * @module
 */
import {ConfigError} from '../errors';
import type {Layer, MultiInputLayer} from '../spec/layer';
import type {SymbolicTensor} from './symbolic';

/** One layer application: `layer(inputs) → output`. */
export type GraphNode = {
  readonly layer: Layer | MultiInputLayer;
  readonly inputs: readonly SymbolicTensor[];
  readonly output: SymbolicTensor;
  /** Whether the layer takes an array (a merge layer). */
  readonly multi: boolean;
};

/** The applications needed for `outputs`, the layers in first-use order, and checks. */
export type Graph = {
  readonly nodes: readonly GraphNode[];
  readonly layers: readonly (Layer | MultiInputLayer)[];
};

/**
 * Walks back from `outputs` to `inputs` (Keras' `Functional` graph).
 * @throws ConfigError when an output depends on a symbolic input that is not
 *   among `inputs` ("graph disconnected"), an input is listed twice, or an
 *   input is not used by any output.
 */
export function traceGraph(modelName: string, inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]): Graph {
  const given = new Set(inputs);
  if (given.size !== inputs.length) throw new ConfigError(`model '${modelName}': an input is listed twice in inputs.`);
  const nodes: GraphNode[] = [];
  const done = new Set<SymbolicTensor>();
  const visiting = new Set<SymbolicTensor>();
  const used = new Set<SymbolicTensor>();
  const visit = (t: SymbolicTensor, path: readonly string[]): void => {
    if (done.has(t)) return;
    if (t.source.kind === 'input') {
      if (!given.has(t)) {
        throw new ConfigError(
          `model '${modelName}': the graph is disconnected: ${path.join(' ← ')} needs the input '${t.source.name}', ` +
            `which is not in inputs [${inputs.map((i) => i.name).join(', ')}]. Add it to inputs.`,
        );
      }
      used.add(t);
      done.add(t);
      return;
    }
    if (visiting.has(t)) throw new ConfigError(`model '${modelName}': the graph has a cycle at ${t.name || 'a layer'}.`);
    visiting.add(t);
    const {layer, inputs: parents} = t.source;
    for (const parent of parents) visit(parent, [...path, layer.name || layer.spec.id]);
    visiting.delete(t);
    done.add(t);
    nodes.push({layer, inputs: parents, output: t, multi: (layer as MultiInputLayer).multiInput === true});
  };
  for (const output of outputs) visit(output, [`output ${outputs.indexOf(output)}`]);
  const unused = inputs.filter((i) => !used.has(i));
  if (unused.length > 0) {
    throw new ConfigError(
      `model '${modelName}': the input${unused.length > 1 ? 's' : ''} ${unused.map((i) => `'${i.name}'`).join(', ')} ` +
        'reach no output. Remove them from inputs or connect them.',
    );
  }
  const layers: (Layer | MultiInputLayer)[] = [];
  for (const node of nodes) if (!layers.includes(node.layer)) layers.push(node.layer);
  return {nodes, layers};
}
