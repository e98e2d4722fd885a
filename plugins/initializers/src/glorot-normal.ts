import {checkOptions, withSpec, type Initializer, optionKeys} from '@trellis/core';
import {checkSeed, seedPart} from './checks';
import {varianceScalingSampler} from './variance-scaling';

/** Config of {@link glorotNormal}. */
export type GlorotNormalConfig = {
  /** Seed of this initializer; without it the seed comes from the model (or `setSeed`). */
  readonly seed?: number;
};

const KEYS = optionKeys<GlorotNormalConfig>({seed: true});

/**
 * Glorot (Xavier) normal (Keras `GlorotNormal`): N(0, σ²) truncated at ±2σ with `σ = sqrt(2 / (fanIn + fanOut)) / 0.87962566103423978`.
 * It is `varianceScaling({scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal'})`.
 *
 * @see Glorot & Bengio 2010, "Understanding the difficulty of training deep feedforward neural networks".
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a bad seed or an unknown option.
 */
export function glorotNormal(config: GlorotNormalConfig = {}): Initializer<GlorotNormalConfig> {
  checkOptions('glorotNormal', config, KEYS);
  checkSeed('glorotNormal', config.seed);
  const spec = {id: 'trellis/glorotNormal', config: seedPart(config.seed)};
  return withSpec(
    spec,
    varianceScalingSampler('glorotNormal', {scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal', ...seedPart(config.seed)}),
  );
}
