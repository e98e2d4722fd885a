import type {Shape} from '@trellis/core';
import {checkInputShape, checkName} from './common';
import {checkAxisPairs, checkDataFormat, type AxisPairs, type DataFormat} from './conv-common';

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
