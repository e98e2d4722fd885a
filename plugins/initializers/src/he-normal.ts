import {type SeedConfig, varianceScalingPreset} from './variance-scaling-preset';

/** Config of {@link heNormal}: only the seed. */
export type HeNormalConfig = SeedConfig;

/**
 * He normal (Keras `HeNormal`): N(0, σ²) truncated at ±2σ with `σ = sqrt(2 / fanIn) / 0.87962566103423978`.
 * It is `varianceScaling({scale: 2, mode: 'fanIn', distribution: 'truncatedNormal'})`.
 *
 * @see He et al. 2015, "Delving deep into rectifiers".
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a bad seed or an unknown option.
 */
export const heNormal = varianceScalingPreset('heNormal', {scale: 2, mode: 'fanIn', distribution: 'truncatedNormal'});
