import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, checkOptions, type Initializer, optionKeys} from '@trellis/core';
import {checkNumber} from './checks';
import {seededInitializer} from './seeded-initializer';

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
  return seededInitializer('randomUniform', {minval, maxval}, config.seed, (shape, seed) =>
    tf.randomUniform(shape, minval, maxval, 'float32', seed),
  );
}
