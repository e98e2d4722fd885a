/**
 * `varianceScalingPreset(name, {scale, mode, distribution})`: a named
 * variance-scaling initializer whose only option is the seed.
 * @module
 */
import {checkOptions, optionKeys, withSpec, type Initializer} from '@trellis/core';
import {checkSeed, seedPart} from './checks';
import {varianceScalingSampler, type ResolvedVarianceScalingConfig} from './variance-scaling';

/** Config of an initializer whose only option is its seed (and of its spec). */
export type SeedConfig = {
  /** Seed of this initializer; without it the seed comes from the model (or `setSeed`). */
  readonly seed?: number;
};

const KEYS = optionKeys<SeedConfig>({seed: true});

/**
 * The initializer factory `name` (spec `{id: 'trellis/<name>', config: {seed?}}`):
 * `varianceScaling({...preset, seed})` under its own name. It refuses unknown
 * options and a bad seed (a `ConfigError` naming `name`); its float32
 * tensors belong to the caller.
 */
export function varianceScalingPreset(
  name: string,
  preset: Omit<ResolvedVarianceScalingConfig, 'seed'>,
): (config?: SeedConfig) => Initializer<SeedConfig> {
  const factory = (config: SeedConfig = {}): Initializer<SeedConfig> => {
    checkOptions(name, config, KEYS);
    checkSeed(name, config.seed);
    const spec = {id: `trellis/${name}`, config: seedPart(config.seed)};
    return withSpec(spec, varianceScalingSampler(name, {...preset, ...seedPart(config.seed)}));
  };
  return Object.defineProperty(factory, 'name', {value: name});
}
