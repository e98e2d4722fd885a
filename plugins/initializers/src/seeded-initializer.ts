/**
 * `seededInitializer(name, config, seed, draw)`: the spec, seed and dtype
 * handling shared by the random initializers.
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import {nextSeed, withSpec, type Initializer} from '@trellis/core';
import {checkFloat32, checkSeed, seedPart} from './checks';

/**
 * An initializer with spec `{id: 'trellis/<name>', config: {...config, seed?}}`
 * whose tensors are `draw(shape, seed)`: float32 only (a `DTypeError`
 * naming `name` for any other dtype), drawn with this initializer's `seed`,
 * else the model's, else the next global seed. Checks `seed` first (a
 * `ConfigError` naming `name`). The drawn tensors belong to the caller.
 */
export function seededInitializer<C extends Readonly<Record<string, number>>>(
  name: string,
  config: C,
  seed: number | undefined,
  draw: (shape: number[], seed: number) => tf.Tensor,
): Initializer<C & {readonly seed?: number}> {
  checkSeed(name, seed);
  const spec = {id: `trellis/${name}`, config: {...config, ...seedPart(seed)}};
  return withSpec(spec, (shape: readonly number[], dtype: tf.DataType, modelSeed?: number) => {
    checkFloat32(name, dtype);
    return draw([...shape], seed ?? modelSeed ?? nextSeed());
  });
}
