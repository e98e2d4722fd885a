// Batteries included: every first-party package, plus the default assembly.
export * from '@trellis/core';
export * from '@trellis/layers';
export * from '@trellis/optimizers';
export * from '@trellis/initializers';
export * from '@trellis/regularizers';
export * from '@trellis/schedules';
export * from '@trellis/metrics';
export * from '@trellis/callbacks';
export * from '@trellis/tensorboard';
export * from '@trellis/serializers';
// A name that is both a loss and a metric is, flat, the loss (as before the metrics existed);
// the metric is `metrics.meanSquaredError`, the loss also `losses.meanSquaredError`.
export {
  cosineSimilarity,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
} from '@trellis/layers';
export type {CosineSimilarityConfig} from '@trellis/layers';
export * from '@trellis/data';
export * from '@trellis/backend-cpu';
export * from '@trellis/backend-wasm';
export {createTrellis, defaultPlugins} from './create-trellis';
export type {Trellis, TrellisOptions} from './create-trellis';
