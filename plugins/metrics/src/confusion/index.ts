/**
 * The confusion-count metrics: weighted counts, precision, recall, the
 * sensitivity/specificity family and AUC, with Keras 3 semantics.
 * @module
 */
export {
  truePositives,
  falsePositives,
  trueNegatives,
  falseNegatives,
  type ConfusionCountConfig,
  type ConfusionCountMetric,
  type ConfusionCountSpecConfig,
} from './counts';
export {precision, type PrecisionConfig} from './precision';
export {recall, type RecallConfig} from './recall';
export type {RatioConfig, RatioSpecConfig} from './ratio-metric';
export {
  precisionAtRecall,
  recallAtPrecision,
  sensitivityAtSpecificity,
  specificityAtSensitivity,
  type AtPointMetric,
  type AtPointSpecConfig,
  type AtPointState,
  type PrecisionAtRecallConfig,
  type RecallAtPrecisionConfig,
  type SensitivityAtSpecificityConfig,
  type SpecificityAtSensitivityConfig,
} from './at-point';
export {auc, type AucConfig, type AucCurve, type AucSpecConfig, type AucState, type AucSummationMethod} from './auc';
export type {ConfusionKey, ConfusionState} from './confusion-counts';
