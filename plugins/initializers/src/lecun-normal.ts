import {checkOptions, withSpec, type Initializer, optionKeys} from '@trellis/core';
import {checkSeed, seedPart} from './checks';
import {varianceScalingSampler} from './variance-scaling';

/** Config of {@link lecunNormal}. */
export type LecunNormalConfig = {
  /** Seed of this initializer; without it the seed comes from the model (or `setSeed`). */
  readonly seed?: number;
};

const KEYS = optionKeys<LecunNormalConfig>({seed: true});

/**
 * LeCun normal (Keras `LecunNormal`): N(0, σ²) truncated at ±2σ with `σ = sqrt(1 / fanIn) / 0.87962566103423978`.
 * It is `varianceScaling({scale: 1, mode: 'fanIn', distribution: 'truncatedNormal'})`.
 *
 * @see Klambauer et al. 2017, "Self-Normalizing Neural Networks".
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a bad seed or an unknown option.
 */
export function lecunNormal(config: LecunNormalConfig = {}): Initializer<LecunNormalConfig> {
  checkOptions('lecunNormal', config, KEYS);
  checkSeed('lecunNormal', config.seed);
  const spec = {id: 'trellis/lecunNormal', config: seedPart(config.seed)};
  return withSpec(
    spec,
    varianceScalingSampler('lecunNormal', {scale: 1, mode: 'fanIn', distribution: 'truncatedNormal', ...seedPart(config.seed)}),
  );
}
