import {type SeedConfig, varianceScalingPreset} from './variance-scaling-preset';

/** Config of {@link heUniform}: only the seed. */
export type HeUniformConfig = SeedConfig;

/**
 * He uniform (Keras `HeUniform`): U(-limit, limit) with `limit = sqrt(6 / fanIn)`.
 * It is `varianceScaling({scale: 2, mode: 'fanIn', distribution: 'uniform'})`.
 *
 * @see He et al. 2015, "Delving deep into rectifiers".
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a bad seed or an unknown option.
 */
export const heUniform = varianceScalingPreset('heUniform', {scale: 2, mode: 'fanIn', distribution: 'uniform'});
