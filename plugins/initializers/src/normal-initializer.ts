/**
 * `normalInitializer(name, sample)`: the options and checks that
 * {@link randomNormal} and {@link truncatedNormal} share.
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import {checkOptions, optionKeys, type Initializer} from '@trellis/core';
import {checkNumber} from './checks';
import {seededInitializer} from './seeded-initializer';

/** Config of a normal initializer ({@link randomNormal}, {@link truncatedNormal}). */
export type NormalConfig = {
  /** Mean (of the untruncated normal for `truncatedNormal`; Keras default 0). */
  readonly mean?: number;
  /** Standard deviation (of the untruncated normal for `truncatedNormal`), > 0 (Keras default 0.05). */
  readonly stddev?: number;
  /** Seed of this initializer; without it the seed comes from the model (or `setSeed`). */
  readonly seed?: number;
};

const KEYS = optionKeys<NormalConfig>({mean: true, stddev: true, seed: true});

/**
 * The initializer factory `name`: checks the options (unknown keys, a
 * non-finite mean, a stddev that is not > 0, a bad seed: a `ConfigError`
 * naming `name`), then draws float32 tensors with
 * `sample(shape, mean, stddev, 'float32', seed)` (`tf.randomNormal` or
 * `tf.truncatedNormal`). Spec: `{id: 'trellis/<name>', config: {mean, stddev, seed?}}`.
 */
export function normalInitializer(
  name: string,
  sample: (shape: number[], mean: number, stddev: number, dtype: 'float32', seed: number) => tf.Tensor,
): (config?: NormalConfig) => Initializer<NormalConfig> {
  const factory = (config: NormalConfig = {}): Initializer<NormalConfig> => {
    checkOptions(name, config, KEYS);
    const mean = checkNumber(name, 'mean', config.mean ?? 0);
    const stddev = checkNumber(name, 'stddev', config.stddev ?? 0.05, true);
    return seededInitializer(name, {mean, stddev}, config.seed, (shape, seed) => sample(shape, mean, stddev, 'float32', seed));
  };
  return Object.defineProperty(factory, 'name', {value: name});
}
