/**
 * Which Trellis weights are the variables of which Keras layer path
 * (`layers/dense_1` → `dense_1/kernel`, `dense_1/bias`), in Keras' order
 * (internal).
 * @module
 */
import {type AnyModel, type Json, type Weight} from '@trellis/core';
import {isObject} from '../keras-config/types';
import type {Json as KerasJson} from '@trellis/keras-files';
import type {KerasFilesModule} from './keras-files-module';

/** One layer of a Keras model config and the Trellis weights that are its variables. */
export type LayerVariables = {
  /** Its path in `model.weights.h5` (`layers/dense_1`). */
  readonly path: string;
  /** The layer's name (`dense_1`). */
  readonly name: string;
  /** Its Keras class (`Dense`; `InputLayer` for a functional input). */
  readonly className: string;
  /** Its weights in Keras' order: trainable ones, then the others, each in creation order. */
  readonly weights: readonly Weight[];
};

/**
 * The layers of a Keras 3 model config (`config.json`, or a legacy
 * `model_config`) with their `model.weights.h5` paths (`kerasLayerPaths`)
 * and the weights of the same-named layer of `model` (none for an
 * `InputLayer`, or a layer `model` lacks).
 */
export function layerVariables(model: AnyModel, config: Json, files: KerasFilesModule): LayerVariables[] {
  const paths = files.kerasLayerPaths(config as KerasJson);
  const inner = isObject(config) && isObject(config.config) ? config.config : {};
  const sequential = isObject(config) && config.class_name === 'Sequential';
  const entries = (Array.isArray(inner.layers) ? inner.layers : []).filter(
    (e) => !(sequential && isObject(e) && e.class_name === 'InputLayer'),
  ) as {class_name: string; name?: string; config?: {name?: string}}[];
  const all = model.weights;
  return entries.map((entry, i) => {
    const name = entry.name ?? entry.config?.name ?? '';
    if (entry.class_name === 'InputLayer') return {path: paths[i]!, name, className: entry.class_name, weights: []};
    const own = all.filter((w) => w.name.slice(0, w.name.lastIndexOf('/')) === name);
    return {
      path: paths[i]!,
      name,
      className: entry.class_name,
      weights: [...own.filter((w) => w.trainable), ...own.filter((w) => !w.trainable)],
    };
  });
}

/**
 * The model's trainable variables in Keras' `model.trainable_variables`
 * order (layer by layer as the config lists them, trainable weights of
 * layers that are not frozen): the order of the optimizer's slots.
 */
export function trainableInKerasOrder(model: AnyModel, layers: readonly LayerVariables[]): Weight[] {
  const trainable = new Set(model.trainableWeights.map((w) => w.name));
  return layers.flatMap((l) => l.weights.filter((w) => trainable.has(w.name)));
}
