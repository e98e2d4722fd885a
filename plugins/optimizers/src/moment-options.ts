/**
 * The moment decays and epsilon that Keras' Adam family declares alike (internal).
 * @module
 */

/**
 * `beta1`, `beta2` and `epsilon` of Keras' `Adam`, `AdamW`, `Adamax`,
 * `Nadam` and `Lamb`: Keras' defaults and the valid ranges. Where epsilon
 * enters the update is each optimizer's own (see its formula).
 */
export const MOMENT_OPTIONS = {
  /** First-moment decay in [0, 1) (default 0.9; Keras `beta_1`). */
  beta1: {default: 0.9, min: 0, max: 1},
  /** Second-moment decay in [0, 1) (default 0.999; Keras `beta_2`; Adamax' infinity-norm decay). */
  beta2: {default: 0.999, min: 0, max: 1},
  /** > 0, keeps the divisor away from 0 (default 1e-7; Keras `epsilon`). */
  epsilon: {default: 1e-7, min: 0, minExclusive: true},
} as const;
