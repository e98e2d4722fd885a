/**
 * The layers that crop or pad the borders of images (internal): their border
 * option, its checks, and their base class (`cropping2d`, `zeroPadding2d`).
 * @module
 */
import {type Shape, type Spec, optionKeys} from '@trellis/core';
import {checkBuildShape, layerLabel} from './common';
import {checkAxisPairs, checkDataFormat, checkSpatialRank, type AxisPairs, type DataFormat} from './conv-common';
import type {BaseLayerConfig} from './elementwise-layer';
import type {SymbolicLayer} from './symbolic-layer';
import {WeightlessLayerBase} from './weightless-layer';
import {layerSpec} from './layer-spec';

/**
 * Rows and columns at the borders of an image: `n` (every side), `[rows, columns]`
 * (symmetric), or `[[top, bottom], [left, right]]`.
 */
export type Border2d = number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];

/** The options a border layer checks besides the border itself. */
export type Border2dLayerOptions = {
  readonly dataFormat?: DataFormat;
  /** Input shape without the batch dimension, `[height, width, channels]`. */
  readonly inputShape?: Shape;
  readonly name?: string;
};

/** The names of {@link Border2dLayerOptions}, for the option lists of the border layers. */
export const BORDER_2D_LAYER_KEYS = optionKeys<Border2dLayerOptions>({dataFormat: true, inputShape: true, name: true});

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
  readonly dataFormat: DataFormat;
  readonly #kind: string;
  readonly #option: string;
  readonly #pairs: AxisPairs;

  /**
   * Checks, in this order, the border option `option` of `options` (default
   * `fallback`), `dataFormat`, `name` and `inputShape`.
   * @throws ConfigError naming `kind` for any invalid option.
   */
  constructor(kind: string, option: string, fallback: number, options: Border2dLayerOptions) {
    super();
    this.#pairs = checkAxisPairs(kind, option, (options as Readonly<Record<string, unknown>>)[option] ?? fallback, 2);
    this.dataFormat = checkDataFormat(kind, options.dataFormat);
    this.setIdentity(kind, options);
    this.#kind = kind;
    this.#option = option;
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
    const fields = {[this.#option]: copyPairs(this.#pairs), dataFormat: this.dataFormat} as unknown as Omit<C, 'name' | 'inputShape'>;
    return layerSpec(`trellis/${this.#kind}`, this, fields);
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
