/**
 * Default layer names, as Keras gives them (internal).
 * @module
 */
import {ConfigError} from '../errors';

/**
 * Keras' `to_snake_case` for default layer names: `batchNormalization` →
 * `batch_normalization`, `leakyReLU` → `leaky_re_lu`, `conv2dTranspose` →
 * `conv2d_transpose`.
 */
export function snakeCase(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Names every unnamed layer after its spec id (`dense`, `dense_1`, ...),
 * skipping names already taken.
 * @throws ConfigError when two layers were given the same name.
 */
export function assignLayerNames(layers: readonly {name: string; readonly spec: {readonly id: string}}[]): void {
  const taken = new Set(layers.map((l) => l.name).filter(Boolean));
  if (taken.size !== layers.filter((l) => l.name).length) {
    throw new ConfigError(`Layer names must be unique; got ${layers.map((l) => l.name || '(auto)').join(', ')}.`);
  }
  const counts = new Map<string, number>();
  for (const layer of layers) {
    if (layer.name) continue;
    const base = snakeCase(layer.spec.id.slice(layer.spec.id.indexOf('/') + 1));
    let name: string;
    do {
      const k = counts.get(base) ?? 0;
      counts.set(base, k + 1);
      name = k === 0 ? base : `${base}_${k}`;
    } while (taken.has(name));
    taken.add(name);
    layer.name = name;
  }
}
