// The Keras-style namespace: every public factory of the package under its plain name, built
// from the same functions the flat exports name (nothing is redefined).

import {accuracy} from './accuracy';
import {binaryAccuracy} from './binary-accuracy';
import {categoricalAccuracy} from './categorical-accuracy';
import {precisionAtRecall, recallAtPrecision, sensitivityAtSpecificity, specificityAtSensitivity} from './confusion/at-point';
import {auc} from './confusion/auc';
import {falseNegatives, falsePositives, trueNegatives, truePositives} from './confusion/counts';
import {precision} from './confusion/precision';
import {recall} from './confusion/recall';
import {confusionMatrix} from './confusion-matrix';
import {f1Score, fBetaScore} from './f-beta-score';
import {mean, sum} from './mean-wrappers';
import {defineMetric} from './define-metric';
import {r2Score} from './r2-score';
import {regressionMetrics} from './regression-metrics';
import {sparseCategoricalAccuracy} from './sparse-categorical-accuracy';
import {sparseTopKCategoricalAccuracy, topKCategoricalAccuracy} from './top-k-accuracy';

/** Metric factories under their plain names: `metrics.categoricalAccuracy()`, `metrics.f1Score()`. */
export const metrics = Object.freeze({
  accuracy,
  binaryAccuracy,
  categoricalAccuracy,
  sparseCategoricalAccuracy,
  topKCategoricalAccuracy,
  sparseTopKCategoricalAccuracy,
  f1Score,
  fBetaScore,
  precision,
  recall,
  truePositives,
  falsePositives,
  trueNegatives,
  falseNegatives,
  precisionAtRecall,
  recallAtPrecision,
  sensitivityAtSpecificity,
  specificityAtSensitivity,
  auc,
  confusionMatrix,
  ...regressionMetrics,
  r2Score,
  mean,
  sum,
  defineMetric,
} as const);
