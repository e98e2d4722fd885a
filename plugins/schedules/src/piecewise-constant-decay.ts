/**
 * `piecewiseConstantDecay({boundaries, values})`: Keras' `PiecewiseConstantDecay`.
 * @module
 */
import {ConfigError, type Schedule, optionKeys} from '@trellis/core';
import {defineSchedule} from './define-schedule';
import {checkIncreasing, checkNumberList, checkOptions} from './validate';

/** Options of {@link piecewiseConstantDecay} (Keras' `PiecewiseConstantDecay` arguments). */
export type PiecewiseConstantDecayOptions = {
  /** Strictly increasing steps where the value changes (required). */
  readonly boundaries: readonly number[];
  /** One value more than `boundaries` (required). */
  readonly values: readonly number[];
};

const KEYS = optionKeys<PiecewiseConstantDecayOptions>({boundaries: true, values: true});

/** The JSON config in a {@link piecewiseConstantDecay} spec. */
export type PiecewiseConstantDecayConfig = {
  readonly boundaries: readonly number[];
  readonly values: readonly number[];
};

/**
 * Keras `PiecewiseConstantDecay`: `values[0]` while `step <= boundaries[0]`,
 * `values[i]` while `boundaries[i-1] < step <= boundaries[i]`, and the last
 * value once `step > boundaries[boundaries.length - 1]` (a boundary step still
 * gets the value before it, as in Keras).
 *
 * Spec: `{id: 'trellis/piecewiseConstantDecay', config: {boundaries, values}}`.
 *
 * @example
 * // 1.0 for steps 0..100000, 0.5 up to step 110000, then 0.1:
 * piecewiseConstantDecay({boundaries: [100000, 110000], values: [1.0, 0.5, 0.1]});
 * @throws ConfigError for unknown options, boundaries that are not finite and
 *   strictly increasing, values that are not finite numbers >= 0, or
 *   `values.length !== boundaries.length + 1`.
 */
export function piecewiseConstantDecay(options: PiecewiseConstantDecayOptions): Schedule<PiecewiseConstantDecayConfig> {
  const who = 'piecewiseConstantDecay';
  const o = checkOptions(who, options, KEYS);
  const boundaries = checkNumberList(who, 'boundaries', o.boundaries, {example: 1000});
  checkIncreasing(who, 'boundaries', boundaries);
  const values = checkNumberList(who, 'values', o.values, {min: 0, example: 0.1});
  if (values.length !== boundaries.length + 1) {
    throw new ConfigError(
      `${who}: values must have one element more than boundaries (one value per interval); ` +
        `got ${boundaries.length} boundaries and ${values.length} values. Add or remove a value or a boundary.`,
    );
  }
  return defineSchedule('trellis/piecewiseConstantDecay', who, {boundaries, values}, (step) => {
    let i = 0;
    while (i < boundaries.length && step > boundaries[i]!) i++;
    return values[i]!;
  });
}
