/**
 * The layers that crop or pad the borders of images (internal): their border
 * option, its checks, and their base class (`cropping2d`, `zeroPadding2d`).
 * @module
 */
import type {Shape, Spec} from '@trellis/core';
import {checkBuildShape, checkInputShape, checkName, layerLabel} from './common';
import {checkAxisPairs, checkDataFormat, checkSpatialRank, type AxisPairs, type DataFormat} from './conv-common';
import type {BaseLayerConfig} from './elementwise-layer';
import type {SymbolicLayer} from './symbolic-layer';
import {WeightlessLayerBase} from './weightless-layer';

/**
 * Rows and columns at the borders of an image: `n` (every side), `[rows, columns]`
 * (symmetric), or `[[top, bottom], [left, right]]`.
 */
export type Border2d = number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];

/** The options {@link resolveBorder2d} checks besides the border itself. */
export type Border2dLayerOptions = {
  readonly dataFormat?: DataFormat;
  readonly inputShape?: Shape;
  readonly name?: string;
};

/** The options of a border layer, checked: the border as `[[top, bottom], [left, right]]`. */
export type ResolvedBorder2d = {
  readonly pairs: AxisPairs;
  readonly dataFormat: DataFormat;
  readonly name: string;
  readonly inputShape?: Shape;
};

/**
 * Checks the options of a layer that crops or pads the borders of images
 * (`cropping2d`, `zeroPadding2d`), in this order: the border `value` (the
 * option named `option`), `dataFormat`, `name`, `inputShape`.
 *
 * @throws ConfigError naming `kind` for any invalid option.
 */
export function resolveBorder2d(kind: string, option: string, value: unknown, options: Border2dLayerOptions): ResolvedBorder2d {
  const pairs = checkAxisPairs(kind, option, value, 2);
  const dataFormat = checkDataFormat(kind, options.dataFormat);
  const name = checkName(kind, options.name);
  const inputShape = checkInputShape(kind, options.inputShape);
  return inputShape ? {pairs, dataFormat, name, inputShape} : {pairs, dataFormat, name};
}

/** A mutable copy of `pairs`, as written in a spec's config or passed to `tf.pad`. */
export function copyPairs(pairs: AxisPairs): [number, number][] {
  return pairs.map((p) => [p[0], p[1]]);
}

/** The JSON config of a border layer whose border option is `K`, as `[[top, bottom], [left, right]]`. */
export type Border2dConfig<K extends string> = BaseLayerConfig & {readonly [P in K]: AxisPairs} & {readonly dataFormat: DataFormat};

/** A border layer with the config `C` and the border option `K` (`[[top, bottom], [left, right]]`). */
export type Border2dLayerOf<C extends BaseLayerConfig, K extends string> = SymbolicLayer<C> & {readonly [P in K]: AxisPairs} & {
  readonly dataFormat: DataFormat;
};

/** A layer `kind` (spec id `trellis/<kind>`) that crops or pads the borders of `[h, w, c]` images by its border option. */
export abstract class Border2dLayer<C extends BaseLayerConfig> extends WeightlessLayerBase {
  name: string;
  readonly inputShape?: Shape;
  readonly dataFormat: DataFormat;
  readonly #kind: string;
  readonly #option: string;
  readonly #pairs: AxisPairs;

  /**
   * Reads the border option `option` of `options` (default `fallback`) and the others, as {@link resolveBorder2d} does.
   * @throws ConfigError naming `kind` for any invalid option.
   */
  constructor(kind: string, option: string, fallback: number, options: Border2dLayerOptions) {
    super();
    const resolved = resolveBorder2d(kind, option, (options as Readonly<Record<string, unknown>>)[option] ?? fallback, options);
    this.#kind = kind;
    this.#option = option;
    this.#pairs = resolved.pairs;
    this.dataFormat = resolved.dataFormat;
    this.name = resolved.name;
    if (resolved.inputShape) this.inputShape = resolved.inputShape;
  }

  /** The border, `[[top, bottom], [left, right]]`. */
  protected get pairs(): AxisPairs {
    return this.#pairs;
  }

  /** The layer's name in errors. */
  protected get label(): string {
    return layerLabel(this.#kind, this.name);
  }

  get spec(): Spec<C> {
    const config = {
      name: this.name,
      [this.#option]: copyPairs(this.#pairs),
      dataFormat: this.dataFormat,
      ...(this.inputShape ? {inputShape: [...this.inputShape]} : {}),
    };
    return {id: `trellis/${this.#kind}`, config: config as unknown as C};
  }

  /** The output shape for `inputShape` (Keras `compute_output_shape`): what `build` returns, without building. */
  computeOutputShape(inputShape: Shape): Shape {
    checkBuildShape(this.label, inputShape, this.inputShape);
    checkSpatialRank(this.label, inputShape, 2);
    return this.outputShape(inputShape);
  }

  /** The output shape for `inputShape` `[h, w, c]`, already checked against the declared inputShape and rank. */
  protected abstract outputShape(inputShape: Shape): Shape;
}
