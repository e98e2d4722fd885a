import type {Json, Shape, Spec} from '@trellis/core';

/**
 * A layer's spec: `id`, and the config `{name, ...fields, inputShape}` in that
 * key order, with the layer's `name`, and its declared `inputShape` (a copy)
 * only when it has one.
 */
export function layerSpec<C extends {readonly name: string; readonly inputShape?: readonly number[]}>(
  id: string,
  layer: {readonly name: string; readonly inputShape?: Shape},
  fields: Omit<C, 'name' | 'inputShape'>,
): Spec<C & Json> {
  const {name, inputShape} = layer;
  // The spread rebuilds exactly C's keys; TypeScript cannot see through Omit here.
  const config = {name, ...fields, ...(inputShape ? {inputShape: [...inputShape]} : {})} as unknown as C & Json;
  return {id, config};
}
