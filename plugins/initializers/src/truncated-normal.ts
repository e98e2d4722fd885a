import * as tf from '@tensorflow/tfjs-core';
import {checkOptions, nextSeed, withSpec, type Initializer, optionKeys} from '@trellis/core';
import {checkFloat32, checkNumber, checkSeed, seedPart} from './checks';

/** Config of {@link truncatedNormal}. */
export type TruncatedNormalConfig = {
  /** Mean of the untruncated normal (Keras default 0). */
  readonly mean?: number;
  /** Standard deviation of the untruncated normal, > 0 (Keras default 0.05). */
  readonly stddev?: number;
  /** Seed of this initializer; without it the seed comes from the model (or `setSeed`). */
  readonly seed?: number;
};

const KEYS = optionKeys<TruncatedNormalConfig>({mean: true, stddev: true, seed: true});

/**
 * Truncated normal draws: `w ~ N(mean, stddev²)` restricted to `|w - mean| ≤ 2·stddev` (draws outside
 * are redrawn), so the result has standard deviation `0.87962566·stddev` (Keras `TruncatedNormal`,
 * defaults `mean = 0`, `stddev = 0.05`).
 *
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a bad value, a bad seed or an unknown option.
 */
export function truncatedNormal(config: TruncatedNormalConfig = {}): Initializer<TruncatedNormalConfig> {
  checkOptions('truncatedNormal', config, KEYS);
  const mean = checkNumber('truncatedNormal', 'mean', config.mean ?? 0);
  const stddev = checkNumber('truncatedNormal', 'stddev', config.stddev ?? 0.05, true);
  checkSeed('truncatedNormal', config.seed);
  const spec = {id: 'trellis/truncatedNormal', config: {mean, stddev, ...seedPart(config.seed)}};
  return withSpec(spec, (shape: readonly number[], dtype: tf.DataType, seed?: number) => {
    checkFloat32('truncatedNormal', dtype);
    return tf.truncatedNormal([...shape], mean, stddev, 'float32', config.seed ?? seed ?? nextSeed());
  });
}
