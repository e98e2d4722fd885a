/**
 * The options every chart takes, and their checks.
 * @module
 */
import {ConfigError, checkBoolean, checkNumber, describe} from '@trellis/core';

/** Options every chart of this package takes. */
export type ChartOptions = {
  /** At most one redraw every `every` ms (default 250). Pushes in between are drawn together when the time is up. */
  readonly every?: number;
  /** Each chart's width in CSS pixels (default 400). */
  readonly width?: number;
  /** Each chart's plot height in CSS pixels, axes included, title and legend not (default 240). */
  readonly height?: number;
  /** Add the charts' small style sheet to the document, once (default true). */
  readonly styles?: boolean;
};

/** {@link ChartOptions} with their defaults. */
export type CheckedChartOptions = {readonly every: number; readonly width: number; readonly height: number; readonly styles: boolean};

/** The keys of {@link ChartOptions}, for `optionKeys` lists. */
export const CHART_KEYS = {every: true, width: true, height: true, styles: true} as const;

/** Checks {@link ChartOptions}. @throws ConfigError for a negative `every`, a size outside [100, 4000], or a non-boolean `styles`. */
export function checkChartOptions(who: string, options: ChartOptions): CheckedChartOptions {
  return {
    every: checkNumber(who, 'every', options.every ?? 250, {min: 0, example: 250}),
    width: checkNumber(who, 'width', options.width ?? 400, {min: 100, max: 4000, example: 400}),
    height: checkNumber(who, 'height', options.height ?? 240, {min: 100, max: 4000, example: 240}),
    styles: checkBoolean(who, 'styles', options.styles ?? true),
  };
}

/** `value` as a non-empty string. @throws ConfigError otherwise. */
export function checkText(who: string, key: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConfigError(`${who}: ${key} must be a non-empty string; got ${describe(value)}.`);
  }
  return value;
}
