/**
 * The registry factories of the confusion-count metrics, by spec id.
 * @module
 */
import type {Metric} from '@trellis/core';
import {precisionAtRecall, recallAtPrecision, sensitivityAtSpecificity, specificityAtSensitivity} from './at-point';
import {auc} from './auc';
import {falseNegatives, falsePositives, trueNegatives, truePositives} from './counts';
import {precision} from './precision';
import {recall} from './recall';

/**
 * One factory per spec id (`'trellis/precision'`, …, `'trellis/auc'`), each
 * building the metric from its JSON config (`null`/`undefined` → defaults;
 * the *At* metrics need their target). For `registry.register('metric', id, factory)`.
 * The factories create no tensors.
 */
// oxlint-disable-next-line typescript/no-explicit-any -- registry factories take the JSON config of any metric
export const confusionMetricFactories: Readonly<Record<string, (config: any) => Metric>> = Object.freeze({
  'trellis/truePositives': (c) => truePositives(c ?? {}),
  'trellis/falsePositives': (c) => falsePositives(c ?? {}),
  'trellis/trueNegatives': (c) => trueNegatives(c ?? {}),
  'trellis/falseNegatives': (c) => falseNegatives(c ?? {}),
  'trellis/precision': (c) => precision(c ?? {}),
  'trellis/recall': (c) => recall(c ?? {}),
  'trellis/precisionAtRecall': (c) => precisionAtRecall(c ?? {}),
  'trellis/recallAtPrecision': (c) => recallAtPrecision(c ?? {}),
  'trellis/sensitivityAtSpecificity': (c) => sensitivityAtSpecificity(c ?? {}),
  'trellis/specificityAtSensitivity': (c) => specificityAtSensitivity(c ?? {}),
  'trellis/auc': (c) => auc(c ?? {}),
});
