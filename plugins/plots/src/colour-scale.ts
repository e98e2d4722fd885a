/**
 * Colours: the curves' palette, the heat map's sequential scale, and the
 * text colour that reads on a fill (WCAG contrast).
 * @module
 */
import {ConfigError} from '@trellis/core';

/** The training curve's colour (blue) and the validation curve's (orange), as livelossplot draws them. */
export const TRAINING_COLOUR = '#1f77b4';
export const VALIDATION_COLOUR = '#ff7f0e';

/** Ten distinct colours for the layers of the gradient chart, in turn. */
export const LAYER_PALETTE: readonly string[] = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/** The heat map's scale from 0 (near white) to 1 (dark blue): stops at 0, 1/4, 1/2, 3/4, 1. */
const STOPS: readonly (readonly [number, number, number])[] = [
  [247, 251, 255],
  [198, 219, 239],
  [107, 174, 214],
  [33, 113, 181],
  [8, 48, 107],
];

const hex = (rgb: readonly number[]): string => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** `[r, g, b]` (0–255) of a `#rrggbb` colour. */
export function parseHex(colour: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (m === null) throw new ConfigError(`parseHex: expected a colour as #rrggbb (six hex digits); got '${colour}'.`);
  return [Number.parseInt(m[1]!, 16), Number.parseInt(m[2]!, 16), Number.parseInt(m[3]!, 16)];
}

/**
 * The heat map's colour of `t` in [0, 1] (clamped; NaN counts as 0): linear
 * interpolation, channel by channel, between the two nearest stops.
 */
export function sequentialColour(t: number): string {
  const u = Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t));
  const position = u * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(position));
  const f = position - i;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  return hex(a.map((c, k) => c + (b[k]! - c) * f));
}

/** WCAG 2 relative luminance of a `#rrggbb` colour, from 0 (black) to 1 (white). */
export function relativeLuminance(colour: string): number {
  const [r, g, b] = parseHex(colour).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white, whichever contrasts more with `fill` (always at least 4.58:1). */
export function textColourOn(fill: string): '#000000' | '#ffffff' {
  return contrastRatio(fill, '#000000') >= contrastRatio(fill, '#ffffff') ? '#000000' : '#ffffff';
}
