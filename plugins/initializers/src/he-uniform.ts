import {withSpec, type Initializer} from '@trellis/core';
import {checkSeed, seedPart} from './checks';
import {varianceScalingSampler} from './variance-scaling';

/** Config of {@link heUniform}. */
export type HeUniformConfig = {
  /** Seed of this initializer; without it the seed comes from the model (or `setSeed`). */
  readonly seed?: number;
};

/**
 * He uniform (Keras `HeUniform`): U(-limit, limit) with `limit = sqrt(6 / fanIn)`.
 * It is `varianceScaling({scale: 2, mode: 'fanIn', distribution: 'uniform'})`.
 *
 * @see He et al. 2015, "Delving deep into rectifiers".
 * @returns an initializer whose float32 tensors belong to the caller.
 */
export function heUniform(config: HeUniformConfig = {}): Initializer<HeUniformConfig> {
  checkSeed('heUniform', config.seed);
  const spec = {id: 'trellis/heUniform', config: seedPart(config.seed)};
  return withSpec(spec, varianceScalingSampler('heUniform', {scale: 2, mode: 'fanIn', distribution: 'uniform', ...seedPart(config.seed)}));
}
