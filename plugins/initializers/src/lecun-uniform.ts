import {type SeedConfig, varianceScalingPreset} from './variance-scaling-preset';

/** Config of {@link lecunUniform}: only the seed. */
export type LecunUniformConfig = SeedConfig;

/**
 * LeCun uniform (Keras `LecunUniform`): U(-limit, limit) with `limit = sqrt(3 / fanIn)`.
 * It is `varianceScaling({scale: 1, mode: 'fanIn', distribution: 'uniform'})`.
 *
 * @see Klambauer et al. 2017, "Self-Normalizing Neural Networks".
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a bad seed or an unknown option.
 */
export const lecunUniform = varianceScalingPreset('lecunUniform', {scale: 1, mode: 'fanIn', distribution: 'uniform'});
