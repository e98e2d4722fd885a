/**
 * Setting a model's weights from a Keras file's per-layer arrays, after
 * checking all of them, and reading them for writing (internal).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {FormatError, ShapeError, type AnyModel} from '@trellis/core';
import type {KerasArray} from '@trellis/keras-files';
import {arrayOfTensor, tensorOfArray} from './arrays';
import type {LayerVariables} from './layer-variables';

/** The arrays of each layer for a file: its variables, in Keras' order. */
export function layerArrays(layers: readonly LayerVariables[]): Map<LayerVariables, KerasArray[]> {
  return new Map(layers.map((l) => [l, l.weights.map((w) => arrayOfTensor(w.variable))]));
}

/**
 * Sets the weights of `model` from `arrays` (each layer's arrays in Keras'
 * order, or undefined when the file has none for it). Every count and shape
 * is checked before a tensor is made; the tensors made are disposed after
 * `setWeights` copied them.
 * @param strict refuse a layer whose weights the file lacks (else it keeps its values)
 * @throws FormatError naming the layer when the file lacks its weights or has another count;
 *   ShapeError naming the weight of the wrong shape; DTypeError for values that are not floats.
 */
export function setLayerWeights(
  model: AnyModel,
  layers: readonly LayerVariables[],
  arrays: (layer: LayerVariables) => readonly KerasArray[] | undefined,
  file: string,
  strict: boolean,
): void {
  const plan: [string, KerasArray][] = [];
  const missing: string[] = [];
  for (const layer of layers) {
    const found = arrays(layer);
    if (found === undefined || (found.length === 0 && layer.weights.length > 0)) {
      if (layer.weights.length > 0) missing.push(`'${layer.name}' (${layer.path})`);
      continue;
    }
    if (found.length !== layer.weights.length) {
      throw new FormatError(
        `${file}: layer '${layer.name}' (${layer.className}, ${layer.path}) has ${found.length} saved variables; the model's layer has ${layer.weights.length} ` +
          `(${layer.weights.map((w) => w.name).join(', ') || 'none'}).`,
      );
    }
    layer.weights.forEach((w, i) => {
      const a = found[i]!;
      if (!tf.util.arraysEqual([...a.shape], w.variable.shape)) {
        throw new ShapeError(
          `${file}: the weight '${w.name}' (${layer.path}/vars/${i}) has shape [${a.shape.join(', ')}]; the model's is [${w.variable.shape.join(', ')}].`,
        );
      }
      plan.push([w.name, a]);
    });
  }
  if (missing.length > 0 && strict) {
    throw new FormatError(`${file} has no weights for the layers ${missing.join(', ')}; it was saved from another model.`);
  }
  const tensors: Record<string, tf.Tensor> = {};
  try {
    for (const [name, array] of plan) tensors[name] = tensorOfArray(array, false, `${file}: weight '${name}'`);
    model.setWeights(tensors, {strict: false});
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
