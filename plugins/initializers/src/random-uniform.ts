import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, checkOptions, nextSeed, withSpec, type Initializer, optionKeys} from '@trellis/core';
import {checkFloat32, checkNumber, checkSeed, seedPart} from './checks';

/** Config of {@link randomUniform}. */
export type RandomUniformConfig = {
  /** Lower bound (Keras default -0.05). */
  readonly minval?: number;
  /** Upper bound, > minval (Keras default 0.05). */
  readonly maxval?: number;
  /** Seed of this initializer; without it the seed comes from the model (or `setSeed`). */
  readonly seed?: number;
};

const KEYS = optionKeys<RandomUniformConfig>({minval: true, maxval: true, seed: true});

/**
 * Uniform draws: `w ~ U(minval, maxval)` (Keras `RandomUniform`, defaults `minval = -0.05`, `maxval = 0.05`).
 *
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a bad value, a bad seed or an unknown option.
 */
export function randomUniform(config: RandomUniformConfig = {}): Initializer<RandomUniformConfig> {
  checkOptions('randomUniform', config, KEYS);
  const minval = checkNumber('randomUniform', 'minval', config.minval ?? -0.05);
  const maxval = checkNumber('randomUniform', 'maxval', config.maxval ?? 0.05);
  if (maxval <= minval) {
    throw new ConfigError(`randomUniform: maxval must be greater than minval; got minval ${minval}, maxval ${maxval}.`);
  }
  checkSeed('randomUniform', config.seed);
  const spec = {id: 'trellis/randomUniform', config: {minval, maxval, ...seedPart(config.seed)}};
  return withSpec(spec, (shape: readonly number[], dtype: tf.DataType, seed?: number) => {
    checkFloat32('randomUniform', dtype);
    return tf.randomUniform([...shape], minval, maxval, 'float32', config.seed ?? seed ?? nextSeed());
  });
}
