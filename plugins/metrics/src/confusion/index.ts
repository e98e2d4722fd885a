/**
 * The confusion-count metrics: weighted counts, precision, recall, the
 * sensitivity/specificity family and AUC, with Keras 3 semantics.
 * @module
 */
export {truePositives, falsePositives, trueNegatives, falseNegatives} from './counts';
export type {ConfusionCountConfig, ConfusionCountMetric, ConfusionCountSpecConfig} from './counts';
export {precision} from './precision';
export type {PrecisionConfig} from './precision';
export {recall} from './recall';
export type {RecallConfig} from './recall';
export type {RatioConfig, RatioSpecConfig} from './ratio-metric';
export {precisionAtRecall, recallAtPrecision, sensitivityAtSpecificity, specificityAtSensitivity} from './at-point';
export type {
  AtPointMetric,
  AtPointSpecConfig,
  AtPointState,
  PrecisionAtRecallConfig,
  RecallAtPrecisionConfig,
  SensitivityAtSpecificityConfig,
  SpecificityAtSensitivityConfig,
} from './at-point';
export {auc} from './auc';
export type {AucConfig, AucCurve, AucSpecConfig, AucState, AucSummationMethod} from './auc';
export type {ConfusionKey, ConfusionState} from './confusion-counts';
