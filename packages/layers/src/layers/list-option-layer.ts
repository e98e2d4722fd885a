/**
 * The base of the weightless layers with one required list-of-numbers option
 * (internal): `permute` (`dims`) and `reshape` (`targetShape`).
 * @module
 */
import {ConfigError, describe, type Shape, type Spec} from '@trellis/core';
import {checkBuildShape, layerLabel} from './common';
import {knownOptions} from '../option-keys';
import {BASE_LAYER_KEYS, type BaseLayerConfig, type BaseLayerOptions} from './elementwise-layer';
import type {SymbolicLayer} from './symbolic-layer';
import {WeightlessLayerBase} from './weightless-layer';
import {layerSpec} from './layer-spec';

/** The JSON config of a {@link ListOptionLayer} with the list option `K`. */
export type ListOptionConfig<K extends string> = BaseLayerConfig & {readonly [P in K]: readonly number[]};

/** A layer with the config `C` and the list option `K`: the {@link Layer} contract plus that list. */
export type ListOptionLayerOf<C extends BaseLayerConfig, K extends string> = SymbolicLayer<C> & {readonly [P in K]: readonly number[]};

/** The check of a {@link ListOptionLayer}'s list option. */
export type ListRule = {
  /** The option's name, also its config entry. */
  readonly option: string;
  /** Whether an array is allowed. */
  readonly valid: (list: readonly number[]) => boolean;
  /** The rule in words, for the ConfigError: `'a permutation of 1..n'`. */
  readonly expected: string;
};

/** A weightless layer `kind` (spec id `trellis/<kind>`) with one list option, checked by a {@link ListRule}. */
export abstract class ListOptionLayer<C extends BaseLayerConfig> extends WeightlessLayerBase {
  readonly #kind: string;
  readonly #option: string;
  readonly #list: readonly number[];

  /**
   * Reads `options`: `rule.option`, `inputShape` and `name`.
   * @throws ConfigError for an unknown option, a list that breaks `rule`, an invalid name or inputShape.
   */
  constructor(kind: string, options: BaseLayerOptions, rule: ListRule) {
    super();
    const keys: readonly string[] = [rule.option, ...BASE_LAYER_KEYS];
    const checked = knownOptions<Readonly<Record<string, unknown>>>(kind, options, keys);
    const list = checked[rule.option];
    if (!Array.isArray(list) || !rule.valid(list)) {
      throw new ConfigError(
        `${kind}: ${rule.option} must be ${rule.expected}; got ${Array.isArray(list) ? JSON.stringify(list) : describe(list)}.`,
      );
    }
    this.#kind = kind;
    this.#option = rule.option;
    this.#list = Object.freeze([...list]);
    this.setIdentity(kind, checked);
  }

  /** The list option, frozen. */
  protected get list(): readonly number[] {
    return this.#list;
  }

  /** The layer's name in errors. */
  protected get label(): string {
    return layerLabel(this.#kind, this.name);
  }

  get spec(): Spec<C> {
    const fields = {[this.#option]: [...this.list]} as unknown as Omit<C, 'name' | 'inputShape'>;
    return layerSpec(`trellis/${this.#kind}`, this, fields);
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    checkBuildShape(this.label, inputShape, this.inputShape);
    return this.outputShape(inputShape);
  }

  /** The output shape for `inputShape`, already checked against the declared inputShape. */
  protected abstract outputShape(inputShape: Shape): Shape;
}
