/**
 * Where Keras puts each layer's variables in `model.weights.h5`.
 * @module
 */
import {ConfigError} from '@trellis/core';
import {isJsonObject, type Json} from './json';

/** Keras' `to_snake_case`: `BatchNormalization` → `batch_normalization`, `Conv2D` → `conv2d`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * The `model.weights.h5` path of each layer of a Sequential or Functional model config
 * (`config.json` as read), in `model.layers` order: `layers/<snake_case(class_name)>` with a
 * counter per class (`dense`, `dense_1`, ...). Sequential models leave out their `InputLayer`,
 * Functional models keep it, as Keras does. Concatenating `weights.layers[path]` over these paths
 * gives `model.get_weights()` for models whose layers own their variables directly.
 * @param config a model config (`config.json` of a `.keras` archive, or the `model_config` of a legacy `.h5`)
 * @param prefix put before every path: the path of a nested model with a slash (`layers/functional/`)
 * @throws ConfigError when `config` is not a Sequential or Functional model config.
 */
export function kerasLayerPaths(config: Json, prefix = ''): string[] {
  if (!isJsonObject(config) || typeof config['class_name'] !== 'string' || !isJsonObject(config['config'])) {
    throw new ConfigError('Expected a Keras model config {"class_name": "Sequential" | "Functional", "config": {"layers": [...]}}.');
  }
  const className = config['class_name'];
  const layers = config['config']['layers'];
  if (!Array.isArray(layers)) throw new ConfigError(`The ${className} config has no layers list.`);
  const sequential = className === 'Sequential';
  const used = new Map<string, number>();
  const paths: string[] = [];
  for (const layer of layers) {
    if (!isJsonObject(layer) || typeof layer['class_name'] !== 'string') throw new ConfigError('A layer config has no class_name.');
    if (sequential && layer['class_name'] === 'InputLayer') continue;
    const base = toSnakeCase(layer['class_name']);
    const count = used.get(base);
    used.set(base, count === undefined ? 0 : count + 1);
    const name = count === undefined ? base : `${base}_${count + 1}`;
    paths.push(`${prefix}layers/${name}`);
  }
  return paths;
}
