export {accuracy} from './accuracy';
export type {AccuracyConfig, AccuracyMetric, AccuracyVariant} from './accuracy';
export type {AccuracyState} from './accuracy-state';
export {binaryAccuracy} from './binary-accuracy';
export type {BinaryAccuracyConfig} from './binary-accuracy';
export {categoricalAccuracy} from './categorical-accuracy';
export type {CategoricalAccuracyConfig} from './categorical-accuracy';
export {computeMetric, computeMetricAsync} from './compute-metric';
export type {MetricInput} from './compute-metric';
export * from './confusion/index';
export {confusionMatrix} from './confusion-matrix';
export type {ConfusionMatrixConfig, ConfusionMatrixState} from './confusion-matrix';
export {crosstab} from './crosstab';
export type {CrosstabOptions} from './crosstab';
export {f1Score, fBetaScore} from './f-beta-score';
export type {F1ScoreConfig, FBetaScoreConfig, FBetaState, FScoreAverage} from './f-beta-score';
export {mean, sum} from './mean-wrappers';
export {defineMetric} from './define-metric';
export type {DefineMetricOptions} from './define-metric';
export type {SumState, ValueFn, ValueMetricConfig, ValueMetricSpecConfig} from './mean-wrappers';
export type {MetricValue} from './metric-value';
export {metricsPlugin} from './plugin';
export {r2Score} from './r2-score';
export type {R2ClassAggregation, R2ScoreConfig, R2State} from './r2-score';
export {
  cosineSimilarity,
  logCoshError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
  rootMeanSquaredError,
} from './regression';
export type {CosineSimilarityConfig, MeanState, RegressionMetricConfig} from './regression';
export {sparseCategoricalAccuracy} from './sparse-categorical-accuracy';
export type {SparseCategoricalAccuracyConfig} from './sparse-categorical-accuracy';
export {StreamingMetric} from './streaming-metric';
export {sparseTopKCategoricalAccuracy, topKCategoricalAccuracy} from './top-k-accuracy';
export type {TopKAccuracyConfig} from './top-k-accuracy';
export {metrics} from './namespace';
