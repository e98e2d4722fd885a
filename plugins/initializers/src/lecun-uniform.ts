import {checkOptions, withSpec, type Initializer, optionKeys} from '@trellis/core';
import {checkSeed, seedPart} from './checks';
import {varianceScalingSampler} from './variance-scaling';

/** Config of {@link lecunUniform}. */
export type LecunUniformConfig = {
  /** Seed of this initializer; without it the seed comes from the model (or `setSeed`). */
  readonly seed?: number;
};

const KEYS = optionKeys<LecunUniformConfig>({seed: true});

/**
 * LeCun uniform (Keras `LecunUniform`): U(-limit, limit) with `limit = sqrt(3 / fanIn)`.
 * It is `varianceScaling({scale: 1, mode: 'fanIn', distribution: 'uniform'})`.
 *
 * @see Klambauer et al. 2017, "Self-Normalizing Neural Networks".
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a bad seed or an unknown option.
 */
export function lecunUniform(config: LecunUniformConfig = {}): Initializer<LecunUniformConfig> {
  checkOptions('lecunUniform', config, KEYS);
  checkSeed('lecunUniform', config.seed);
  const spec = {id: 'trellis/lecunUniform', config: seedPart(config.seed)};
  return withSpec(
    spec,
    varianceScalingSampler('lecunUniform', {scale: 1, mode: 'fanIn', distribution: 'uniform', ...seedPart(config.seed)}),
  );
}
