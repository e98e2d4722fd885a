/**
 * `ema({momentum, overwriteFrequency})`: Keras' `use_ema`, an exponential
 * moving average of the weights.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {checkNumber, ConfigError, describe, type GradientTransform, type NamedTensors, optionKeys} from '@trellis/core';
import {requireParams} from './add-decayed-weights';
import {carrySlots, checkNamedTensors, checkOptions, slotFor, stateCount, stateRecord, stateSlots, tidyObject} from './checks';

/** Options of {@link ema}; Keras' `ema_momentum` and `ema_overwrite_frequency`. */
export type EmaOptions = {
  /** Weight of the old average, in [0, 1] (default 0.99; Keras `ema_momentum`). */
  readonly momentum?: number;
  /**
   * Every this many iterations the variables are set to their averages
   * (an integer >= 1; Keras `ema_overwrite_frequency`). Default: never during
   * training; `fit` writes the averages at its end (`finalize`).
   */
  readonly overwriteFrequency?: number;
  /**
   * Steps per optimizer iteration under gradient accumulation (an integer
   * >= 1, default 1): Keras' first-step rule and overwrite frequency count
   * iterations `floor(step / accumulationSteps)`, while the average itself
   * moves every step. The named optimizers set it from `gradientAccumulationSteps`.
   */
  readonly accumulationSteps?: number;
};

const KEYS = optionKeys<EmaOptions>({momentum: true, overwriteFrequency: true, accumulationSteps: true});

/** State of {@link ema}. */
export type EmaState = {
  /** Steps seen so far, 0 first. */
  readonly count: number;
  /** The moving average of each variable, keyed by name (Keras' `average` slots; zeros at first). */
  readonly average: NamedTensors;
};

/**
 * An exponential moving average of the weights, as Keras' optimizers keep it
 * with `use_ema=True` (`_update_model_variables_moving_average`). It goes
 * last in a chain: with `w = params + updates` the variable after this step
 * and `i = floor(count / accumulationSteps)` Keras' iteration,
 *
 * ```
 * m       = i == 0 ? 0 : momentum             (the first iteration copies the weights)
 * average = m * average + (1 - m) * w
 * overwriteFrequency and (i + 1) % overwriteFrequency == 0:
 *           updates = average - params        (the variable becomes its average)
 * otherwise updates pass through unchanged
 * ```
 *
 * A variable without an update this step (a frozen layer's) keeps its
 * average, like every slot in this package. (Keras averages every variable the
 * optimizer was built with, frozen ones included, and then cannot finalize a
 * model whose trainable weights changed.)
 *
 * `finalize(state, params)` returns copies of the averages (what Keras'
 * `finalize_variable_values` writes into the variables at the end of `fit`),
 * or `undefined` before the first step (Keras would write its zero-initialized
 * averages). Needs `params`. Shapes and dtypes follow the parameters
 * (float32). Ownership: `init`/`update`/`finalize` return new tensors owned by
 * the caller and dispose nothing.
 *
 * @example
 * chain(adam({learningRate: 1e-3}), ema({momentum: 0.999}));   // or adam({useEma: true, emaMomentum: 0.999})
 * @throws ConfigError for a momentum outside [0, 1], a frequency or
 *   accumulationSteps that is not an integer >= 1, or (in `update`) missing parameters.
 */
export function ema(options: EmaOptions = {}): GradientTransform<EmaState> {
  const who = 'ema';
  checkOptions(who, options, KEYS);
  const momentum = checkNumber(who, 'momentum', options.momentum ?? 0.99, {min: 0, max: 1});
  const frequency = options.overwriteFrequency === undefined ? null : checkInteger(who, 'overwriteFrequency', options.overwriteFrequency);
  const steps = checkInteger(who, 'accumulationSteps', options.accumulationSteps ?? 1);
  // Keras' momentum is a float32 tensor; 1 - momentum is a float32 subtraction.
  const keep = Math.fround(momentum);
  const take = Math.fround(1 - keep);
  return {
    init(params) {
      checkNamedTensors(who, 'parameter', params);
      return tidyObject(() => {
        const average: Record<string, tf.Tensor> = {};
        for (const [name, p] of Object.entries(params)) average[name] = tf.zerosLike(p);
        return {count: 0, average: average as NamedTensors};
      });
    },
    update(updatesIn, state, params) {
      checkNamedTensors(who, 'update', updatesIn);
      const record = stateRecord(who, state);
      const count = stateCount(who, record);
      const slots = stateSlots(who, record, 'average');
      const p = requireParams(who, updatesIn, params);
      for (const [name, u] of Object.entries(updatesIn)) slotFor(who, 'average', slots, name, u);
      const iteration = Math.floor(count / steps);
      const [m, oneMinusM] = iteration === 0 ? [0, 1] : [keep, take];
      const overwrite = frequency !== null && (iteration + 1) % frequency === 0;
      return tidyObject(() => {
        const average: Record<string, tf.Tensor> = {};
        for (const [name, u] of Object.entries(updatesIn)) {
          // The variable after this step, as StatefulOptimizer computes it.
          const w = tf.add(p[name]!, u);
          average[name] = tf.add(tf.mul(slots[name]!, m), tf.mul(w, oneMinusM));
        }
        const updates: Record<string, tf.Tensor> = {};
        for (const [name, u] of Object.entries(updatesIn)) {
          updates[name] = overwrite ? tf.sub(average[name]!, p[name]!) : tf.clone(u);
        }
        return {updates: updates as NamedTensors, state: {count: count + 1, average: carrySlots(slots, average)}};
      });
    },
    finalize(state, params) {
      const record = stateRecord(who, state);
      if (stateCount(who, record) === 0) return undefined;
      const slots = stateSlots(who, record, 'average');
      checkNamedTensors(who, 'parameter', params);
      return tidyObject(() => {
        const values: Record<string, tf.Tensor> = {};
        for (const name of Object.keys(params)) if (slots[name] !== undefined) values[name] = tf.clone(slots[name]!);
        return values as NamedTensors;
      });
    },
  };
}

function checkInteger(who: string, key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${who}: ${key} must be an integer >= 1; got ${describe(value)}.`);
  }
  return value;
}
