/**
 * The base of the training-noise layers whose one option is a dropout `rate`
 * (internal): `alphaDropout`, `gaussianDropout` and `spatialDropout1d`.
 * @module
 */
import type {Spec} from '@trellis/core';
import {knownOptions, reuseKeys} from '../option-keys';
import {dropoutRate} from './drop-mask';
import type {BaseLayerConfig} from './elementwise-layer';
import type {SymbolicLayer} from './symbolic-layer';
import {TRAINING_NOISE_KEYS, TrainingNoise, type TrainingNoiseOptions} from './training-noise';

/** The options of a {@link RateNoise} layer: its `rate` and {@link TrainingNoiseOptions}. */
export type RateNoiseOptions = TrainingNoiseOptions & {readonly rate: number};

/** The names of {@link RateNoiseOptions}: what each rate noise layer accepts. */
const RATE_NOISE_KEYS = reuseKeys<RateNoiseOptions>()(['rate', ...TRAINING_NOISE_KEYS]);

/** The JSON config in a rate noise layer's spec (`trellis/<kind>`). */
export type RateNoiseConfig = BaseLayerConfig & {
  readonly rate: number;
  readonly seed: number | null;
};

/** A rate noise layer with the config `C`: the {@link Layer} contract plus its options. */
export interface RateNoiseLayer<C extends RateNoiseConfig> extends SymbolicLayer<C> {
  readonly rate: number;
  readonly seed: number | null;
}

/** A training-noise layer `kind` (spec id `trellis/<kind>`) that changes nothing for `rate` 0. */
export abstract class RateNoise extends TrainingNoise<RateNoiseConfig> {
  readonly rate: number;

  /**
   * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
   * @throws ConfigError if `rate` is not in [0, 1), or for an invalid seed, name or inputShape.
   */
  constructor(kind: string, options: RateNoiseOptions) {
    const checked = knownOptions(kind, options, RATE_NOISE_KEYS);
    const rate = dropoutRate(kind, checked);
    super(kind, checked);
    this.rate = rate;
  }

  get spec(): Spec<RateNoiseConfig> {
    return {id: `trellis/${this.kind}`, config: {...this.commonConfig(), rate: this.rate}};
  }

  protected get active(): boolean {
    return this.rate > 0;
  }
}
