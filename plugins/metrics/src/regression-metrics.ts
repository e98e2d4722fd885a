/**
 * The regression metric factories by plain name (internal).
 * @module
 */
import * as regression from './regression';

/**
 * The regression metric factories by plain name, in the order the `metrics` namespace lists them
 * and `metricsPlugin` registers them (each as `trellis/<name>`).
 */
export const regressionMetrics = {
  meanSquaredError: regression.meanSquaredError,
  rootMeanSquaredError: regression.rootMeanSquaredError,
  meanAbsoluteError: regression.meanAbsoluteError,
  meanAbsolutePercentageError: regression.meanAbsolutePercentageError,
  meanSquaredLogarithmicError: regression.meanSquaredLogarithmicError,
  cosineSimilarity: regression.cosineSimilarity,
  logCoshError: regression.logCoshError,
} as const;
