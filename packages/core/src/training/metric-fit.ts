/**
 * Checking, before a model's weights change, that its metrics can take its
 * targets and predictions.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, isTrellisError} from '../errors';
import type {Metric} from '../spec/metric';
import type {Tensors} from './tensors';

/**
 * Runs every metric's `update` once on a fresh state with one batch's
 * targets, predictions and sample weights, and frees the result: the first
 * training step calls it before the optimizer update, so a metric that does
 * not fit the loss (sparse targets with `categoricalAccuracy()`) fails while
 * the weights are untouched. Disposes nothing it is given.
 * @throws the metric's own Trellis error, or a `ConfigError` (with the
 *   backend's error as `cause`) naming the metric and the shapes.
 */
export function checkMetricsFit(metrics: readonly Metric[], yTrue: Tensors, yPred: Tensors, sampleWeight: Tensors | null): void {
  for (const metric of metrics) {
    try {
      tf.tidy(() => {
        const weights = usesSampleWeight(metric) && sampleWeight ? (sampleWeight as tf.Tensor) : undefined;
        tf.dispose(metric.update(metric.init(), yTrue as tf.Tensor, yPred as tf.Tensor, weights) as tf.TensorContainer);
      });
    } catch (error) {
      throw metricFitError(metric, yTrue, yPred, error);
    }
  }
}

/**
 * Whether a metric is updated with the batch's sample weights. Keras weights
 * only its loss trackers (and `weighted_metrics`); compiled metrics are not
 * weighted, so only metrics that carry `usesSampleWeight: true` get them.
 */
export function usesSampleWeight(metric: Metric): boolean {
  return (metric as {usesSampleWeight?: unknown}).usesSampleWeight === true;
}

/**
 * The error to throw when `metric.update` failed on a batch: a Trellis error
 * as it is; anything else (a backend's shape error) as a `ConfigError` naming
 * the metric and the shapes, with the original as `cause`.
 */
export function metricFitError(metric: Metric, yTrue: Tensors, yPred: Tensors, error: unknown): unknown {
  if (isTrellisError(error)) return error;
  return new ConfigError(
    `Metric '${metric.name}' cannot take this model's targets ${shapes(yTrue)} and predictions ${shapes(yPred)}: ` +
      `${(error as Error)?.message ?? String(error)}. Choose a metric that fits the loss (accuracy() picks the right ` +
      'one from the loss; categoricalAccuracy() needs one-hot targets, sparseCategoricalAccuracy() class ids).',
    {cause: error},
  );
}

function shapes(t: Tensors): string {
  const one = (x: tf.Tensor) => `[${x.shape.join(', ')}] ${x.dtype}`;
  return Array.isArray(t) ? t.map(one).join(', ') : one(t as tf.Tensor);
}
