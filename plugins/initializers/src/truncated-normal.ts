import * as tf from '@tensorflow/tfjs-core';
import {normalInitializer, type NormalConfig} from './normal-initializer';

/** Config of {@link truncatedNormal}. */
export type TruncatedNormalConfig = NormalConfig;

/**
 * Truncated normal draws: `w ~ N(mean, stddev²)` restricted to `|w - mean| ≤ 2·stddev` (draws outside
 * are redrawn), so the result has standard deviation `0.87962566·stddev` (Keras `TruncatedNormal`,
 * defaults `mean = 0`, `stddev = 0.05`).
 *
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a bad value, a bad seed or an unknown option.
 */
export const truncatedNormal = normalInitializer('truncatedNormal', tf.truncatedNormal);
