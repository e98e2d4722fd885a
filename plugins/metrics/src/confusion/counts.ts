/**
 * The weighted confusion counts: true/false positives/negatives at one or
 * several thresholds (Keras' `TruePositives`, `FalsePositives`,
 * `TrueNegatives`, `FalseNegatives`).
 * @module
 */
import {checkOptions, optionKeys, type Metric} from '@trellis/core';
import {checkName} from '../accuracy-state';
import {checkThresholds, perThreshold, userGrid, type ConfusionKey, type ConfusionState} from './confusion-counts';
import {countingMethods} from './counting-metric';

/** Options of {@link truePositives}, {@link falsePositives}, {@link trueNegatives} and {@link falseNegatives}. */
export type ConfusionCountConfig = {
  /**
   * A prediction is positive when strictly greater than the threshold: one
   * number in [0, 1] (a scalar result) or a list of them (a rank-1 result,
   * one count per threshold, in the given order); default 0.5.
   */
  readonly thresholds?: number | readonly number[] | null;
  /** The log key; default Keras' name (`'true_positives'`, …). */
  readonly name?: string;
};

/** The config a count metric's spec holds: every default filled in. */
export type ConfusionCountSpecConfig = {
  readonly thresholds: number | readonly number[];
  readonly name: string;
};

/** What the count factories return; the state holds one float32 count per threshold. */
export type ConfusionCountMetric<K extends ConfusionKey> = Metric<ConfusionState<K>, ConfusionCountSpecConfig>;

const KEYS = optionKeys<ConfusionCountConfig>({thresholds: true, name: true});

function countMetric<K extends ConfusionKey>(
  who: string,
  key: K,
  fallbackName: string,
  config: ConfusionCountConfig,
): ConfusionCountMetric<K> {
  checkOptions(who, config, KEYS);
  const name = checkName(who, config.name, fallbackName);
  const values = checkThresholds(who, config.thresholds, 0.5);
  const grid = userGrid(values);
  const keys = [key] as const;
  const shape = [values.length];
  const thresholds = Array.isArray(config.thresholds) ? values : values[0]!;
  return {
    spec: Object.freeze({id: `trellis/${who}`, config: Object.freeze({thresholds, name})}),
    name,
    ...countingMethods(name, keys, shape, {grid}, (state) => perThreshold(state[key])),
  };
}

/**
 * True positives: the weighted count of elements with `yTrue` non-zero and
 * `yPred > threshold`. Keras: `keras.metrics.TruePositives`.
 *
 * Shapes: `yPred` `[batch]` or `[batch, k]` (every element counts); `yTrue`
 * the same shape or differing by a trailing 1, any dtype (non-zero is
 * positive); `sampleWeight` `[batch]`, applied to every element of its row.
 * State `{tp}`: float32 `[T]` for `T` thresholds. `result` is a float32
 * scalar for one threshold, else `[T]`.
 *
 * Tensors: `init`, `update`, `merge` and `result` return new tensors owned
 * by the caller and dispose nothing (the caller disposes the old state).
 *
 * @throws ConfigError for a threshold outside [0, 1], an invalid `name` or an
 * unknown option; at `update`, ShapeError for mismatched shapes.
 */
export function truePositives(config: ConfusionCountConfig = {}): ConfusionCountMetric<'tp'> {
  return countMetric('truePositives', 'tp', 'true_positives', config);
}

/**
 * False positives: the weighted count of elements with `yTrue` zero and
 * `yPred > threshold`. Keras: `keras.metrics.FalsePositives`. Shapes, state
 * (`{fp}`), tensors and errors as {@link truePositives}.
 */
export function falsePositives(config: ConfusionCountConfig = {}): ConfusionCountMetric<'fp'> {
  return countMetric('falsePositives', 'fp', 'false_positives', config);
}

/**
 * True negatives: the weighted count of elements with `yTrue` zero and
 * `yPred ≤ threshold`. Keras: `keras.metrics.TrueNegatives`. Shapes, state
 * (`{tn}`), tensors and errors as {@link truePositives}.
 */
export function trueNegatives(config: ConfusionCountConfig = {}): ConfusionCountMetric<'tn'> {
  return countMetric('trueNegatives', 'tn', 'true_negatives', config);
}

/**
 * False negatives: the weighted count of elements with `yTrue` non-zero and
 * `yPred ≤ threshold`. Keras: `keras.metrics.FalseNegatives`. Shapes, state
 * (`{fn}`), tensors and errors as {@link truePositives}.
 */
export function falseNegatives(config: ConfusionCountConfig = {}): ConfusionCountMetric<'fn'> {
  return countMetric('falseNegatives', 'fn', 'false_negatives', config);
}
