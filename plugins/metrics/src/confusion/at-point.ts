/**
 * The best value of one rate subject to a floor on another, over Keras'
 * evenly spaced threshold grid: `precisionAtRecall`, `recallAtPrecision`,
 * `sensitivityAtSpecificity`, `specificityAtSensitivity`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {checkNumber, checkOptions, optionKeys, type Metric} from '@trellis/core';
import {checkName} from '../accuracy-state';
import {checkNumThresholds, checkOptionalInt, pointGrid, type ConfusionState} from './confusion-counts';
import {countingMethods} from './counting-metric';

/** The state of the *At* metrics: float32 `[numThresholds]` counts. */
export type AtPointState = ConfusionState<'tp' | 'fp' | 'tn' | 'fn'>;

/** Options shared by the four *At* metrics (besides their target). */
type PointCommon = {
  /** The number of thresholds of the grid `[0, 1/(n−1), …, 1]`; an integer ≥ 2, default 200. */
  readonly numThresholds?: number;
  /** Count only this class (column) of `[batch, classes]` inputs; a non-negative integer. */
  readonly classId?: number | null;
  /** The log key; default Keras' snake_case class name. */
  readonly name?: string;
};

/** Options of {@link precisionAtRecall}. */
export type PrecisionAtRecallConfig = PointCommon & {
  /** The minimum recall, in [0, 1]; required. */
  readonly recall: number;
};
/** Options of {@link recallAtPrecision}. */
export type RecallAtPrecisionConfig = PointCommon & {
  /** The minimum precision, in [0, 1]; required. */
  readonly precision: number;
};
/** Options of {@link sensitivityAtSpecificity}. */
export type SensitivityAtSpecificityConfig = PointCommon & {
  /** The minimum specificity, in [0, 1]; required. */
  readonly specificity: number;
};
/** Options of {@link specificityAtSensitivity}. */
export type SpecificityAtSensitivityConfig = PointCommon & {
  /** The minimum sensitivity, in [0, 1]; required. */
  readonly sensitivity: number;
};

/** The config in the spec of an *At* metric: every default filled in (`classId` `null` when not set). */
export type AtPointSpecConfig<T extends string> = {readonly [key in T]: number} & {
  readonly numThresholds: number;
  readonly classId: number | null;
  readonly name: string;
};

/** What the *At* factories return. */
export type AtPointMetric<T extends string> = Metric<AtPointState, AtPointSpecConfig<T>>;

type Rates = {readonly sensitivity: tf.Tensor; readonly specificity: tf.Tensor; readonly precision: tf.Tensor};
type RateName = keyof Rates;

const STATE_KEYS = ['tp', 'fp', 'tn', 'fn'] as const;

const P_AT_R = optionKeys<PrecisionAtRecallConfig>({recall: true, numThresholds: true, classId: true, name: true});
const R_AT_P = optionKeys<RecallAtPrecisionConfig>({precision: true, numThresholds: true, classId: true, name: true});
const SENS_AT_SPEC = optionKeys<SensitivityAtSpecificityConfig>({specificity: true, numThresholds: true, classId: true, name: true});
const SPEC_AT_SENS = optionKeys<SpecificityAtSensitivityConfig>({sensitivity: true, numThresholds: true, classId: true, name: true});

function pointMetric<T extends string>(
  who: string,
  target: T,
  keys: readonly string[],
  fallbackName: string,
  constrained: RateName,
  dependent: RateName,
  config: PointCommon & {readonly [key in T]?: unknown},
): AtPointMetric<T> {
  config = checkOptions(who, config, keys) as typeof config;
  const name = checkName(who, config.name, fallbackName);
  const value = checkNumber(who, target, (config as Record<string, unknown>)[target], {min: 0, max: 1, example: 0.8});
  const numThresholds = checkNumThresholds(who, config.numThresholds);
  const classId = checkOptionalInt(who, 'classId', config.classId, 0);
  const grid = pointGrid(numThresholds);
  const shape = [numThresholds];
  const options = {grid, classId};
  return {
    spec: Object.freeze({
      id: `trellis/${who}`,
      config: Object.freeze({[target]: value, numThresholds, classId: classId ?? null, name} as AtPointSpecConfig<T>),
    }),
    name,
    ...countingMethods(name, STATE_KEYS, shape, options, (state) => {
      const {tp, fp, tn, fn} = state;
      const rates: Rates = {
        sensitivity: tf.divNoNan(tp, tf.add(tp, fn)),
        specificity: tf.divNoNan(tn, tf.add(tn, fp)),
        precision: tf.divNoNan(tp, tf.add(tp, fp)),
      };
      // Keras' _find_max_under_constraint: the best dependent rate where the
      // constrained one reaches the target (compared in float32), else 0.
      const feasible = tf.greaterEqual(rates[constrained], tf.scalar(value, 'float32'));
      const candidates = tf.where(feasible, rates[dependent], tf.zerosLike(rates[dependent]));
      return tf.maximum(tf.max(candidates), 0);
    }),
  };
}

/**
 * Precision at recall: the highest precision over the thresholds whose
 * recall is at least `recall` (0 when none is). Keras:
 * `keras.metrics.PrecisionAtRecall`, with its grid of `numThresholds`
 * thresholds `[0, 1/(n−1), …, 1]` (a prediction `p` counts as positive at
 * index `i` when `ceil(clip(p, 0, 1)·(n−1)) − 1 ≥ i`, Keras' bucketing).
 *
 * Shapes: `yPred` `[batch]` or `[batch, classes]` (without `classId`, every
 * element is one prediction); `yTrue` the same shape or differing by a
 * trailing 1, any dtype (non-zero is positive); `sampleWeight` `[batch]`,
 * applied to every element of its row. State `{tp, fp, tn, fn}`: float32
 * `[numThresholds]`. `result`: a float32 scalar.
 *
 * Tensors: `init`, `update`, `merge` and `result` return new tensors owned by
 * the caller and dispose nothing (the caller disposes the old state).
 *
 * @throws ConfigError for a missing target or one outside [0, 1], a
 * `numThresholds` that is not an integer ≥ 2, an invalid `classId` or `name`,
 * or an unknown option. At `update`: ShapeError for mismatched shapes or a
 * `classId` with `[batch]` predictions; DataError for a `classId` out of range.
 */
export function precisionAtRecall(config: PrecisionAtRecallConfig): AtPointMetric<'recall'> {
  return pointMetric('precisionAtRecall', 'recall', P_AT_R, 'precision_at_recall', 'sensitivity', 'precision', config);
}

/**
 * Recall at precision: the highest recall over the thresholds whose
 * precision is at least `precision` (0 when none is). Keras:
 * `keras.metrics.RecallAtPrecision`. Grid, shapes, state, tensors and errors
 * as {@link precisionAtRecall}.
 */
export function recallAtPrecision(config: RecallAtPrecisionConfig): AtPointMetric<'precision'> {
  return pointMetric('recallAtPrecision', 'precision', R_AT_P, 'recall_at_precision', 'precision', 'sensitivity', config);
}

/**
 * Sensitivity (recall) at specificity: the highest sensitivity over the
 * thresholds whose specificity `tn / (tn + fp)` is at least `specificity`
 * (0 when none is). Keras: `keras.metrics.SensitivityAtSpecificity`. Grid,
 * shapes, state, tensors and errors as {@link precisionAtRecall}.
 */
export function sensitivityAtSpecificity(config: SensitivityAtSpecificityConfig): AtPointMetric<'specificity'> {
  return pointMetric(
    'sensitivityAtSpecificity',
    'specificity',
    SENS_AT_SPEC,
    'sensitivity_at_specificity',
    'specificity',
    'sensitivity',
    config,
  );
}

/**
 * Specificity at sensitivity: the highest specificity over the thresholds
 * whose sensitivity (recall) is at least `sensitivity` (0 when none is).
 * Keras: `keras.metrics.SpecificityAtSensitivity`. Grid, shapes, state,
 * tensors and errors as {@link precisionAtRecall}.
 */
export function specificityAtSensitivity(config: SpecificityAtSensitivityConfig): AtPointMetric<'sensitivity'> {
  return pointMetric(
    'specificityAtSensitivity',
    'sensitivity',
    SPEC_AT_SENS,
    'specificity_at_sensitivity',
    'sensitivity',
    'specificity',
    config,
  );
}
