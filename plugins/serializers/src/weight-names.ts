/**
 * Weight names as tfjs-layers writes them (internal).
 * @module
 */
import {FunctionalModel, Sequential, type AnyModel} from '@trellis/core';
import {tfjsWeightName} from './keras-config/layers';

/**
 * Each weight of `model` → its name in a layers-format file (`dw/kernel` →
 * `dw/depthwise_kernel` for a depthwise convolution; the same name for all
 * others and for subclassed models).
 */
export function fileWeightNames(model: AnyModel): Map<string, string> {
  const names = new Map<string, string>();
  const layers = model instanceof Sequential || model instanceof FunctionalModel ? model.layers : [];
  const byName = new Map(layers.map((l) => [l.name, l.spec.id]));
  for (const w of model.weights) {
    const cut = w.name.lastIndexOf('/');
    const id = cut > 0 ? byName.get(w.name.slice(0, cut)) : undefined;
    names.set(w.name, id ? `${w.name.slice(0, cut)}/${tfjsWeightName(id, w.name.slice(cut + 1))}` : w.name);
  }
  return names;
}
