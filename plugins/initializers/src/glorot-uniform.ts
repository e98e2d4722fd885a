import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DTypeError, checkOptions, describe, nextSeed, withSpec, type Initializer, optionKeys} from '@trellis/core';
import {computeFans} from './fans';

/** Config of {@link glorotUniform}. */
export type GlorotUniformConfig = {
  /** Seed of this initializer; without it the seed comes from the model (or `setSeed`). */
  readonly seed?: number;
};

const KEYS = optionKeys<GlorotUniformConfig>({seed: true});

/**
 * Glorot (Xavier) uniform: samples from U(-limit, limit) with
 * `limit = sqrt(6 / (fanIn + fanOut))` (Keras' default kernel initializer).
 *
 * @see Glorot & Bengio 2010, "Understanding the difficulty of training deep feedforward neural networks".
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a bad seed or an unknown option.
 */
export function glorotUniform(config: GlorotUniformConfig = {}): Initializer<GlorotUniformConfig> {
  checkOptions('glorotUniform', config, KEYS);
  if (config.seed !== undefined && (!Number.isInteger(config.seed) || config.seed < 0)) {
    throw new ConfigError(`glorotUniform: seed must be a non-negative integer; got ${describe(config.seed)}.`);
  }
  const spec = {id: 'trellis/glorotUniform', config: config.seed === undefined ? {} : {seed: config.seed}};
  return withSpec(spec, (shape: readonly number[], dtype: tf.DataType, seed?: number) => {
    if (dtype !== 'float32') {
      throw new DTypeError(`glorotUniform makes float32 weights; got dtype '${dtype}'. Use zeros() for int32.`);
    }
    const [fanIn, fanOut] = computeFans(shape);
    const limit = Math.sqrt(6 / Math.max(1, fanIn + fanOut));
    return tf.randomUniform([...shape], -limit, limit, 'float32', config.seed ?? seed ?? nextSeed());
  });
}
