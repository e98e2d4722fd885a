/**
 * A Trellis functional model's graph as the Python side rebuilds it
 * (`functional` in python/oracle/kinds.py).
 * @module
 */
import {type FunctionalModel, type SymbolicTensor} from 'trellis';
import {kerasLayer} from './keras-config';
import type {TreeIn} from './tensor-tree';

/**
 * One entry per layer application, in an order where inputs come first, the
 * model's inputs and the ids of its outputs: `{inputs, layers, outputs, name}`.
 */
export function describeGraph(net: FunctionalModel): {inputs: TreeIn[]; layers: TreeIn[]; outputs: string[]; name: string} {
  const ids = new Map<SymbolicTensor, string>();
  const layers: TreeIn[] = [];
  const visit = (t: SymbolicTensor): string => {
    const known = ids.get(t);
    if (known) return known;
    if (t.source.kind === 'input') {
      ids.set(t, t.source.name);
      return t.source.name;
    }
    const {layer, inputs} = t.source;
    const args = inputs.map(visit);
    const id = `node${layers.length}`;
    ids.set(t, id);
    layers.push({name: layer.name, layer: kerasLayer(net.getLayer(layer.name)), inputs: args, output: id, multi: inputs.length > 1});
    return id;
  };
  const outputs = net.outputs.map(visit);
  return {inputs: net.inputs.map((i) => ({name: i.name, shape: [...i.shape]})), layers, outputs, name: net.name};
}
