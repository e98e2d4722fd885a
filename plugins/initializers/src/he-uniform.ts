import {checkOptions, withSpec, type Initializer, optionKeys} from '@trellis/core';
import {checkSeed, seedPart} from './checks';
import {varianceScalingSampler} from './variance-scaling';

/** Config of {@link heUniform}. */
export type HeUniformConfig = {
  /** Seed of this initializer; without it the seed comes from the model (or `setSeed`). */
  readonly seed?: number;
};

const KEYS = optionKeys<HeUniformConfig>({seed: true});

/**
 * He uniform (Keras `HeUniform`): U(-limit, limit) with `limit = sqrt(6 / fanIn)`.
 * It is `varianceScaling({scale: 2, mode: 'fanIn', distribution: 'uniform'})`.
 *
 * @see He et al. 2015, "Delving deep into rectifiers".
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a bad seed or an unknown option.
 */
export function heUniform(config: HeUniformConfig = {}): Initializer<HeUniformConfig> {
  checkOptions('heUniform', config, KEYS);
  checkSeed('heUniform', config.seed);
  const spec = {id: 'trellis/heUniform', config: seedPart(config.seed)};
  return withSpec(spec, varianceScalingSampler('heUniform', {scale: 2, mode: 'fanIn', distribution: 'uniform', ...seedPart(config.seed)}));
}
