import * as tf from '@tensorflow/tfjs-core';
import {checkOptions, nextSeed, withSpec, type Initializer, optionKeys} from '@trellis/core';
import {checkFloat32, checkNumber, checkSeed, seedPart} from './checks';

/** Config of {@link randomNormal}. */
export type RandomNormalConfig = {
  /** Mean (Keras default 0). */
  readonly mean?: number;
  /** Standard deviation, > 0 (Keras default 0.05). */
  readonly stddev?: number;
  /** Seed of this initializer; without it the seed comes from the model (or `setSeed`). */
  readonly seed?: number;
};

const KEYS = optionKeys<RandomNormalConfig>({mean: true, stddev: true, seed: true});

/**
 * Normal draws: `w ~ N(mean, stddev²)` (Keras `RandomNormal`, defaults `mean = 0`, `stddev = 0.05`).
 *
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a bad value, a bad seed or an unknown option.
 */
export function randomNormal(config: RandomNormalConfig = {}): Initializer<RandomNormalConfig> {
  checkOptions('randomNormal', config, KEYS);
  const mean = checkNumber('randomNormal', 'mean', config.mean ?? 0);
  const stddev = checkNumber('randomNormal', 'stddev', config.stddev ?? 0.05, true);
  checkSeed('randomNormal', config.seed);
  const spec = {id: 'trellis/randomNormal', config: {mean, stddev, ...seedPart(config.seed)}};
  return withSpec(spec, (shape: readonly number[], dtype: tf.DataType, seed?: number) => {
    checkFloat32('randomNormal', dtype);
    return tf.randomNormal([...shape], mean, stddev, 'float32', config.seed ?? seed ?? nextSeed());
  });
}
