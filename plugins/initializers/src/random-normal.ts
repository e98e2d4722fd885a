import * as tf from '@tensorflow/tfjs-core';
import {normalInitializer, type NormalConfig} from './normal-initializer';

/** Config of {@link randomNormal}. */
export type RandomNormalConfig = NormalConfig;

/**
 * Normal draws: `w ~ N(mean, stddev²)` (Keras `RandomNormal`, defaults `mean = 0`, `stddev = 0.05`).
 *
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a bad value, a bad seed or an unknown option.
 */
export const randomNormal = normalInitializer('randomNormal', tf.randomNormal);
