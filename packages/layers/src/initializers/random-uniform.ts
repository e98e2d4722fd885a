import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, DTypeError, describe, nextSeed, withSpec, type Initializer, optionKeys} from '@trellis/core';
import {knownOptions} from '../option-keys';

/** Config of {@link randomUniform}. */
export type RandomUniformConfig = {
  /** Lower bound (inclusive). Default -0.05 (Keras `minval`). */
  readonly minval?: number;
  /** Upper bound (exclusive). Default 0.05 (Keras `maxval`). */
  readonly maxval?: number;
  /** Seed of this initializer; without it the seed comes from the model (or `setSeed`). */
  readonly seed?: number;
};

/** The names of {@link RandomUniformConfig}: what {@link randomUniform} accepts. */
const RANDOM_UNIFORM_KEYS = optionKeys<RandomUniformConfig>({minval: true, maxval: true, seed: true});

/**
 * Uniform in [minval, maxval) (Keras `RandomUniform`, default ±0.05): the
 * default of `embedding`'s `embeddings`. Spec id `trellis/randomUniform`; the
 * layers plugin resolves it even when no initializers plugin registers it.
 *
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError if the bounds are not finite with `minval < maxval`, or the seed is invalid.
 * @returns an initializer whose float32 tensors belong to the caller.
 */
export function randomUniform(options: RandomUniformConfig = {}): Initializer<RandomUniformConfig> {
  const config = knownOptions('randomUniform', options, RANDOM_UNIFORM_KEYS);
  const minval = config.minval ?? -0.05;
  const maxval = config.maxval ?? 0.05;
  if (!Number.isFinite(minval) || !Number.isFinite(maxval) || !(minval < maxval)) {
    throw new ConfigError(
      `randomUniform: minval and maxval must be finite numbers with minval < maxval; got ${describe(minval)} and ${describe(maxval)}.`,
    );
  }
  if (config.seed !== undefined && (!Number.isInteger(config.seed) || config.seed < 0)) {
    throw new ConfigError(`randomUniform: seed must be a non-negative integer; got ${describe(config.seed)}.`);
  }
  const spec = {id: 'trellis/randomUniform', config: {minval, maxval, ...(config.seed === undefined ? {} : {seed: config.seed})}};
  return withSpec(spec, (shape: readonly number[], dtype: tf.DataType, seed?: number) => {
    if (dtype !== 'float32') {
      throw new DTypeError(`randomUniform makes float32 weights; got dtype '${dtype}'.`);
    }
    return tf.randomUniform([...shape], minval, maxval, 'float32', config.seed ?? seed ?? nextSeed());
  });
}
