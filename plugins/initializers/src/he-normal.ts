import {checkOptions, withSpec, type Initializer, optionKeys} from '@trellis/core';
import {checkSeed, seedPart} from './checks';
import {varianceScalingSampler} from './variance-scaling';

/** Config of {@link heNormal}. */
export type HeNormalConfig = {
  /** Seed of this initializer; without it the seed comes from the model (or `setSeed`). */
  readonly seed?: number;
};

const KEYS = optionKeys<HeNormalConfig>({seed: true});

/**
 * He normal (Keras `HeNormal`): N(0, σ²) truncated at ±2σ with `σ = sqrt(2 / fanIn) / 0.87962566103423978`.
 * It is `varianceScaling({scale: 2, mode: 'fanIn', distribution: 'truncatedNormal'})`.
 *
 * @see He et al. 2015, "Delving deep into rectifiers".
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a bad seed or an unknown option.
 */
export function heNormal(config: HeNormalConfig = {}): Initializer<HeNormalConfig> {
  checkOptions('heNormal', config, KEYS);
  checkSeed('heNormal', config.seed);
  const spec = {id: 'trellis/heNormal', config: seedPart(config.seed)};
  return withSpec(
    spec,
    varianceScalingSampler('heNormal', {scale: 2, mode: 'fanIn', distribution: 'truncatedNormal', ...seedPart(config.seed)}),
  );
}
