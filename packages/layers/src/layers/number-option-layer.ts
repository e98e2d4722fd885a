/**
 * The activation layers with one number option (internal): `layers.elu`
 * (`alpha`) and `layers.leakyRelu` (`negativeSlope`).
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import type {Json} from '@trellis/core';
import {knownOptions} from '../option-keys';
import {BASE_LAYER_KEYS, ElementwiseLayer, type BaseLayerConfig, type BaseLayerOptions} from './elementwise-layer';
import {numberOption} from './option-checks';
import type {SymbolicLayer} from './symbolic-layer';

/** The JSON config in the spec of a {@link numberOptionLayer} with the option `K`. */
export type NumberOptionConfig<K extends string> = BaseLayerConfig & {readonly [P in K]: number};

/** A {@link numberOptionLayer} with the option `K`: the {@link Layer} contract plus that option. */
export type NumberOptionLayerOf<K extends string> = SymbolicLayer<NumberOptionConfig<K>> & {readonly [P in K]: number};

/** The option of a {@link numberOptionLayer}: its name, default, rule, and the function it gives. */
type NumberOptionRule<K extends string> = {
  /** The option's name, also the layer's property and config entry. */
  readonly option: K;
  /** The value when the option is absent (undefined or null). */
  readonly fallback: number;
  /** Whether a finite number is allowed. */
  readonly test: (value: number) => boolean;
  /** The rule in words, for the ConfigError: `'a finite number ≥ 0'`. */
  readonly expected: string;
  /** The element-wise function for a checked value. */
  readonly make: (value: number) => (x: tf.Tensor) => tf.Tensor;
};

/**
 * A new element-wise layer `kind` (spec id `trellis/<kind>`) with the number
 * option `rule.option`, held as a property of that name and in its config.
 * @throws ConfigError for an unknown option (the message names it and suggests the closest valid one).
 * @throws ConfigError for an invalid name, inputShape or option value.
 */
export function numberOptionLayer<K extends string>(
  kind: string,
  options: (BaseLayerOptions & {readonly [P in K]?: number}) | undefined,
  rule: NumberOptionRule<K>,
): NumberOptionLayerOf<K> {
  const keys: readonly string[] = [rule.option, ...BASE_LAYER_KEYS];
  const checked = knownOptions<Readonly<Record<string, unknown>>>(kind, options, keys);
  return new NumberOptionLayer(kind, checked, rule) as unknown as NumberOptionLayerOf<K>;
}

class NumberOptionLayer extends ElementwiseLayer<BaseLayerConfig & Json> {
  readonly #config: Readonly<Record<string, number>>;
  readonly #compute: (x: tf.Tensor) => tf.Tensor;

  constructor(kind: string, options: BaseLayerOptions, rule: NumberOptionRule<string>) {
    super(kind, kind, options);
    const given = (options as Readonly<Record<string, unknown>>)[rule.option] ?? undefined;
    const value = numberOption(kind, rule.option, given, rule.fallback, rule.test, rule.expected);
    this.#config = {[rule.option]: value};
    Object.assign(this, this.#config);
    this.#compute = rule.make(value);
  }

  protected ownConfig() {
    return {...this.#config};
  }

  protected compute(x: tf.Tensor): tf.Tensor {
    return this.#compute(x);
  }
}
