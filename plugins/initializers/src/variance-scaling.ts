import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, checkOptions, describe, nextSeed, withSpec, type Initializer, optionKeys} from '@trellis/core';
import {checkFloat32, checkNumber, checkSeed, seedPart} from './checks';
import {computeFans} from './fans';

/** Which fan divides the scale: fan-in, fan-out or their average. */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';

/** Distribution of {@link varianceScaling}. */
export type VarianceScalingDistribution = 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

/** Config of {@link varianceScaling}. */
export type VarianceScalingConfig = {
  /** Scaling factor, > 0 (Keras default 1). */
  readonly scale?: number;
  /** Keras `fan_in` / `fan_out` / `fan_avg` (default `'fanIn'`). */
  readonly mode?: FanMode;
  /** Keras `truncated_normal` / `untruncated_normal` / `uniform` (default `'truncatedNormal'`). */
  readonly distribution?: VarianceScalingDistribution;
  /** Seed of this initializer; without it the seed comes from the model (or `setSeed`). */
  readonly seed?: number;
};

const KEYS = optionKeys<VarianceScalingConfig>({scale: true, mode: true, distribution: true, seed: true});

/** The config of {@link varianceScaling} with every default filled in (the spec's config). */
export type ResolvedVarianceScalingConfig = {
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: VarianceScalingDistribution;
  readonly seed?: number;
};

const MODES: readonly FanMode[] = ['fanIn', 'fanOut', 'fanAvg'];
const DISTRIBUTIONS: readonly VarianceScalingDistribution[] = ['truncatedNormal', 'untruncatedNormal', 'uniform'];

/** Standard deviation of N(0, 1) truncated to [-2, 2] (Keras divides by it so the truncated draws keep the target variance). */
export const TRUNCATED_NORMAL_STDDEV = 0.87962566103423978;

/** Checks and completes a variance-scaling config; `name` is the initializer named in errors. */
export function resolveVarianceScaling(name: string, config: VarianceScalingConfig): ResolvedVarianceScalingConfig {
  const scale = checkNumber(name, 'scale', config.scale ?? 1, true);
  const mode = config.mode ?? 'fanIn';
  if (!MODES.includes(mode)) {
    throw new ConfigError(`${name}: mode must be one of ${MODES.map((m) => `'${m}'`).join(', ')}; got ${describe(mode)}.`);
  }
  const distribution = config.distribution ?? 'truncatedNormal';
  if (!DISTRIBUTIONS.includes(distribution)) {
    throw new ConfigError(
      `${name}: distribution must be one of ${DISTRIBUTIONS.map((d) => `'${d}'`).join(', ')}; got ${describe(distribution)}.`,
    );
  }
  checkSeed(name, config.seed);
  return {scale, mode, distribution, ...seedPart(config.seed)};
}

/**
 * The sampling function of a variance-scaling initializer: `n` is `fanIn`, `fanOut` or
 * `(fanIn + fanOut) / 2` of {@link computeFans}, `s = scale / max(1, n)`, then
 * `U(-sqrt(3s), sqrt(3s))`, `N(0, s)`, or N(0, s / 0.87962566²) truncated at 2σ.
 */
export function varianceScalingSampler(name: string, config: ResolvedVarianceScalingConfig) {
  return (shape: readonly number[], dtype: tf.DataType, seed?: number): tf.Tensor => {
    checkFloat32(name, dtype);
    const [fanIn, fanOut] = computeFans(shape);
    const n = config.mode === 'fanIn' ? fanIn : config.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const s = config.scale / Math.max(1, n);
    const drawSeed = config.seed ?? seed ?? nextSeed();
    if (config.distribution === 'uniform') {
      const limit = Math.sqrt(3 * s);
      return tf.randomUniform([...shape], -limit, limit, 'float32', drawSeed);
    }
    if (config.distribution === 'untruncatedNormal') {
      return tf.randomNormal([...shape], 0, Math.sqrt(s), 'float32', drawSeed);
    }
    return tf.truncatedNormal([...shape], 0, Math.sqrt(s) / TRUNCATED_NORMAL_STDDEV, 'float32', drawSeed);
  };
}

/**
 * Variance scaling (Keras `VarianceScaling`, defaults `scale = 1`, `mode = 'fanIn'`,
 * `distribution = 'truncatedNormal'`): with `n` = fanIn, fanOut or (fanIn + fanOut) / 2 and
 * `s = scale / max(1, n)`:
 * - `'truncatedNormal'`: N(0, σ²) truncated at ±2σ with `σ = sqrt(s) / 0.87962566103423978`, so the draws
 *   have variance `s`;
 * - `'untruncatedNormal'`: N(0, s);
 * - `'uniform'`: U(-limit, limit), `limit = sqrt(3s)`.
 *
 * @returns an initializer whose float32 tensors belong to the caller.
 * @throws ConfigError for a non-positive scale, an unknown mode or distribution, a bad seed or an unknown option.
 */
export function varianceScaling(config: VarianceScalingConfig = {}): Initializer<ResolvedVarianceScalingConfig> {
  checkOptions('varianceScaling', config, KEYS);
  const resolved = resolveVarianceScaling('varianceScaling', config);
  return withSpec({id: 'trellis/varianceScaling', config: resolved}, varianceScalingSampler('varianceScaling', resolved));
}
