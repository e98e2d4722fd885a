/**
 * The builder behind precision and recall: a ratio of confusion counts per
 * threshold, with Keras' `top_k` and `class_id` filtering.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {checkOptions, optionKeys, type Metric} from '@trellis/core';
import {checkName} from '../accuracy-state';
import {NEG_INF, checkOptionalInt, checkThresholds, perThreshold, userGrid, type ConfusionState} from './confusion-counts';
import {countingMethods} from './counting-metric';

/** Options of {@link precision} and {@link recall}. */
export type RatioConfig = {
  /**
   * A prediction is positive when strictly greater than the threshold: one
   * number in [0, 1] (a scalar result) or a list (a rank-1 result, one value
   * per threshold). Default 0.5; with `topK` and no thresholds, every one of
   * the top `k` predictions of a row is positive.
   */
  readonly thresholds?: number | readonly number[] | null;
  /** Keep only the `topK` largest predictions of each row (last axis); the others are negative. A positive integer. */
  readonly topK?: number | null;
  /** Count only this class (column) of `[batch, classes]` inputs; a non-negative integer. */
  readonly classId?: number | null;
  /** The log key; default Keras' name (`'precision'`, `'recall'`). */
  readonly name?: string;
};

/** The config in a precision or recall spec: defaults filled in (`null`: not set). */
export type RatioSpecConfig = {
  /** `null` when `topK` is set without thresholds. */
  readonly thresholds: number | readonly number[] | null;
  readonly topK: number | null;
  readonly classId: number | null;
  readonly name: string;
};

const KEYS = optionKeys<RatioConfig>({thresholds: true, topK: true, classId: true, name: true});

/**
 * Builds `tp / (tp + other)` (0 where the denominator is 0) over the counts
 * `tp` and `other` (`'fp'` for precision, `'fn'` for recall).
 * @internal
 */
export function ratioMetric<O extends 'fp' | 'fn'>(
  who: string,
  other: O,
  config: RatioConfig,
): Metric<ConfusionState<'tp' | O>, RatioSpecConfig> {
  checkOptions(who, config, KEYS);
  const name = checkName(who, config.name, who);
  const topK = checkOptionalInt(who, 'topK', config.topK, 1);
  const classId = checkOptionalInt(who, 'classId', config.classId, 0);
  const given = config.thresholds !== undefined && config.thresholds !== null;
  const values = checkThresholds(who, config.thresholds, topK === undefined ? 0.5 : NEG_INF);
  const grid = userGrid(values);
  const keys = ['tp', other] as const;
  const shape = [values.length];
  const thresholds = !given ? (topK === undefined ? 0.5 : null) : Array.isArray(config.thresholds) ? values : values[0]!;
  const options = {grid, topK, classId};
  return {
    spec: Object.freeze({
      id: `trellis/${who}`,
      config: Object.freeze({thresholds, topK: topK ?? null, classId: classId ?? null, name}),
    }),
    name,
    ...countingMethods(name, keys, shape, options, (state) => perThreshold(tf.divNoNan(state.tp, tf.add(state.tp, state[other])))),
  };
}
