/**
 * Recall, Keras' `keras.metrics.Recall`.
 * @module
 */
import type {Metric} from '@trellis/core';
import type {ConfusionState} from './confusion-counts';
import {ratioMetric, type RatioConfig, type RatioSpecConfig} from './ratio-metric';

/** Options of {@link recall}. */
export type RecallConfig = RatioConfig;

/**
 * Recall: `tp / (tp + fn)` over every batch so far (0 while there was no
 * positive target). Keras: `keras.metrics.Recall`, with the same
 * `thresholds`, `top_k` (`topK`) and `class_id` (`classId`) semantics.
 *
 * Shapes: `yPred` `[batch]` or `[batch, classes]` (without `classId`, every
 * element is one prediction); `yTrue` the same shape or differing by a
 * trailing 1, any dtype (non-zero is positive); `sampleWeight` `[batch]`,
 * applied to every element of its row. State `{tp, fn}`: float32 `[T]` for
 * `T` thresholds. `result`: a float32 scalar for one threshold, else `[T]`.
 *
 * Tensors: `init`, `update`, `merge` and `result` return new tensors owned by
 * the caller and dispose nothing (the caller disposes the old state).
 *
 * @throws ConfigError for a threshold outside [0, 1], a `topK` that is not a
 * positive integer, a `classId` that is not a non-negative integer, an invalid
 * `name` or an unknown option. At `update`: ShapeError for mismatched shapes
 * or a `topK` above the number of classes; DataError for a `classId` out of range.
 *
 * @example
 * const m = recall({thresholds: [0.3, 0.5, 0.7]}); // logs recall_0, recall_1, recall_2
 */
export function recall(config: RecallConfig = {}): Metric<ConfusionState<'tp' | 'fn'>, RatioSpecConfig> {
  return ratioMetric('recall', 'fn', config);
}
