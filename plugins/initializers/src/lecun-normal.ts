import {type SeedConfig, varianceScalingPreset} from './variance-scaling-preset';

/** Config of {@link lecunNormal}: only the seed. */
export type LecunNormalConfig = SeedConfig;

/**
 * LeCun normal (Keras `LecunNormal`): N(0, σ²) truncated at ±2σ with `σ = sqrt(1 / fanIn) / 0.87962566103423978`.
 * It is `varianceScaling({scale: 1, mode: 'fanIn', distribution: 'truncatedNormal'})`.
 *
 * @see Klambauer et al. 2017, "Self-Normalizing Neural Networks".
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a bad seed or an unknown option.
 */
export const lecunNormal = varianceScalingPreset('lecunNormal', {scale: 1, mode: 'fanIn', distribution: 'truncatedNormal'});
