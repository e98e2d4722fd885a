/**
 * What `binaryFocalCrossentropy` and `categoricalFocalCrossentropy` share:
 * the focusing options, their names and their reading (internal).
 * @module
 */
import {readBoolean, readLabelSmoothing, readNumber} from './common';

/** The options every focal crossentropy takes besides `alpha` and `labelSmoothing` (whose ranges differ). */
export type FocalOptions = {
  /** The focusing exponent; >= 0 (0 gives plain crossentropy). Default 2. */
  readonly gamma?: number;
  /** Whether predictions are logits rather than probabilities. Default false. */
  readonly fromLogits?: boolean;
};

/** The option names every focal crossentropy starts its list with, in this order. */
export const FOCAL_KEYS = {gamma: true, fromLogits: true, alpha: true} as const;

/** The config entries every focal crossentropy's spec holds. */
export type FocalConfig = {
  readonly alpha: number;
  readonly gamma: number;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
};

/**
 * Reads `alpha` (default 0.25, within `alphaRange`), `gamma` (default 2,
 * >= 0), `fromLogits` (default false) and `labelSmoothing`, in that order.
 * @throws ConfigError for a value out of its range or of the wrong type.
 */
export function readFocal(
  lossName: string,
  options: Readonly<Record<string, unknown>>,
  alphaRange: {readonly min: number; readonly max?: number},
): FocalConfig {
  return {
    alpha: readNumber(lossName, options, 'alpha', 0.25, alphaRange),
    gamma: readNumber(lossName, options, 'gamma', 2, {min: 0}),
    fromLogits: readBoolean(lossName, options, 'fromLogits', false),
    labelSmoothing: readLabelSmoothing(lossName, options),
  };
}
