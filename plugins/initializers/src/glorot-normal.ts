import {type SeedConfig, varianceScalingPreset} from './variance-scaling-preset';

/** Config of {@link glorotNormal}: only the seed. */
export type GlorotNormalConfig = SeedConfig;

/**
 * Glorot (Xavier) normal (Keras `GlorotNormal`): N(0, σ²) truncated at ±2σ with `σ = sqrt(2 / (fanIn + fanOut)) / 0.87962566103423978`.
 * It is `varianceScaling({scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal'})`.
 *
 * @see Glorot & Bengio 2010, "Understanding the difficulty of training deep feedforward neural networks".
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a bad seed or an unknown option.
 */
export const glorotNormal = varianceScalingPreset('glorotNormal', {scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal'});
