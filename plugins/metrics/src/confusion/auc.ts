/**
 * The area under the ROC or precision-recall curve, Keras' `keras.metrics.AUC`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  ShapeError,
  StateError,
  checkBoolean,
  checkNumber,
  checkOptions,
  describeValue,
  optionKeys,
  type Metric,
} from '@trellis/core';
import {checkName} from '../accuracy-state';
import {
  accumulate,
  addStates,
  aucGrid,
  batchLabels,
  checkNumThresholds,
  checkOptionalInt,
  checkState,
  checkThresholds,
  zeroState,
  type ConfusionOptions,
  type ConfusionState,
} from './confusion-counts';

/** The curve of {@link auc}: receiver operating characteristic or precision-recall. */
export type AucCurve = 'ROC' | 'PR';

/** How {@link auc} sums the area between two thresholds. */
export type AucSummationMethod = 'interpolation' | 'minoring' | 'majoring';

/** Options of {@link auc}. */
export type AucConfig = {
  /** The number of thresholds (evenly spaced, plus −ε and 1 + ε at the ends); an integer ≥ 2, default 200. Ignored with `thresholds`. */
  readonly numThresholds?: number;
  /** `'ROC'` (default) or `'PR'`. */
  readonly curve?: AucCurve;
  /**
   * `'interpolation'` (default: the trapezoidal rule for ROC; for PR,
   * Davis & Goadrich's interpolation of the counts, not of precision),
   * `'minoring'` (the lower of the two heights) or `'majoring'` (the higher).
   */
  readonly summationMethod?: AucSummationMethod;
  /** Inner thresholds in [0, 1] (sorted; −ε and 1 + ε are added); replaces the evenly spaced grid. */
  readonly thresholds?: readonly number[] | null;
  /** One curve per label of `[batch, labels]` inputs, averaged (default false: every element is one prediction). */
  readonly multiLabel?: boolean;
  /** The number of labels with `multiLabel` (else taken from the first batch); a positive integer. */
  readonly numLabels?: number | null;
  /**
   * Non-negative weights, one per label. With `multiLabel`, the weights of the
   * average of the per-label areas; without, weights of the counts of each column.
   */
  readonly labelWeights?: readonly number[] | null;
  /** Apply a sigmoid to `yPred` first (default false). */
  readonly fromLogits?: boolean;
  /** The log key; default `'auc'`. */
  readonly name?: string;
};

/** The config in an AUC spec: every default filled in (`null`: not set). */
export type AucSpecConfig = {
  readonly numThresholds: number;
  readonly curve: AucCurve;
  readonly summationMethod: AucSummationMethod;
  readonly thresholds: readonly number[] | null;
  readonly multiLabel: boolean;
  readonly numLabels: number | null;
  readonly labelWeights: readonly number[] | null;
  readonly fromLogits: boolean;
  readonly name: string;
};

/**
 * The state of {@link auc}: float32 counts `[T]`, or `[T, labels]` with
 * `multiLabel` (`[T, 0]` until the first batch when `numLabels` is not given).
 */
export type AucState = ConfusionState<'tp' | 'fp' | 'tn' | 'fn'>;

const KEYS = optionKeys<AucConfig>({
  numThresholds: true,
  curve: true,
  summationMethod: true,
  thresholds: true,
  multiLabel: true,
  numLabels: true,
  labelWeights: true,
  fromLogits: true,
  name: true,
});

const STATE_KEYS = ['tp', 'fp', 'tn', 'fn'] as const;
const CURVES: Readonly<Record<string, AucCurve>> = {ROC: 'ROC', roc: 'ROC', PR: 'PR', pr: 'PR'};
const METHODS: Readonly<Record<string, AucSummationMethod>> = {
  interpolation: 'interpolation',
  Interpolation: 'interpolation',
  minoring: 'minoring',
  Minoring: 'minoring',
  majoring: 'majoring',
  Majoring: 'majoring',
};

/**
 * AUC: the area under the ROC curve (true positive rate against false
 * positive rate) or the precision-recall curve, approximated over a grid of
 * thresholds. Keras: `keras.metrics.AUC`, with the same grid, bucketing,
 * summation rules (Davis & Goadrich interpolation for PR), multi-label
 * averaging and label weights.
 *
 * Shapes: `yPred` `[batch]` or `[batch, k]` (probabilities, or logits with
 * `fromLogits`); `yTrue` the same shape or differing by a trailing 1, any
 * dtype (non-zero is positive); `sampleWeight` `[batch]`, applied to every
 * element of its row. Without `multiLabel` every element is one prediction;
 * with it, `yPred` must be `[batch, labels]`. State `{tp, fp, tn, fn}`:
 * float32 `[T]` or `[T, labels]`. `result`: a float32 scalar (0 for a
 * multi-label state that has seen no batch yet).
 *
 * Tensors: `init`, `update`, `merge` and `result` return new tensors owned by
 * the caller and dispose nothing (the caller disposes the old state).
 *
 * @throws ConfigError for a `numThresholds` that is not an integer ≥ 2, a
 * threshold outside [0, 1], an unknown `curve` or `summationMethod`,
 * `numLabels` without `multiLabel`, negative label weights, an invalid
 * `name` or an unknown option. At `update`: ShapeError for mismatched shapes,
 * a label count that differs from the state's, `numLabels` or `labelWeights`.
 *
 * @example
 * const rocAuc = auc();
 * const prAuc = auc({curve: 'PR', name: 'pr_auc'});
 * const perLabel = auc({multiLabel: true, numLabels: 5, fromLogits: true});
 */
export function auc(config: AucConfig = {}): Metric<AucState, AucSpecConfig> {
  const who = 'auc';
  checkOptions(who, config, KEYS);
  const name = checkName(who, config.name, 'auc');
  const curve = CURVES[config.curve ?? 'ROC'];
  if (typeof config.curve !== 'undefined' && (typeof config.curve !== 'string' || curve === undefined)) {
    throw new ConfigError(`${who}: curve must be 'ROC' or 'PR'; got ${describeValue(config.curve)}. For example curve: 'PR'.`);
  }
  const summationMethod = METHODS[config.summationMethod ?? 'interpolation'];
  if (typeof config.summationMethod !== 'undefined' && (typeof config.summationMethod !== 'string' || summationMethod === undefined)) {
    throw new ConfigError(
      `${who}: summationMethod must be 'interpolation', 'minoring' or 'majoring'; got ${describeValue(config.summationMethod)}.`,
    );
  }
  const userThresholds =
    config.thresholds === undefined || config.thresholds === null ? undefined : checkAucThresholds(who, config.thresholds);
  const numThresholds = userThresholds ? userThresholds.length + 2 : checkNumThresholds(who, config.numThresholds);
  const multiLabel = checkBoolean(who, 'multiLabel', config.multiLabel ?? false);
  const fromLogits = checkBoolean(who, 'fromLogits', config.fromLogits ?? false);
  const numLabels = checkOptionalInt(who, 'numLabels', config.numLabels, 1);
  if (numLabels !== undefined && !multiLabel) {
    throw new ConfigError(
      `${who}: numLabels is only used with multiLabel: true; got numLabels: ${numLabels}. Remove it or set multiLabel: true.`,
    );
  }
  const labelWeights = checkLabelWeights(who, config.labelWeights);
  if (numLabels !== undefined && labelWeights && labelWeights.length !== numLabels) {
    throw new ConfigError(
      `${who}: labelWeights has ${labelWeights.length} weights but numLabels is ${numLabels}; give one weight per label.`,
    );
  }
  const grid = aucGrid(numThresholds, userThresholds);
  const T = grid.values.length;
  const options: ConfusionOptions = {grid, multiLabel, fromLogits, labelWeights: multiLabel ? undefined : labelWeights};
  const fixedLabels = multiLabel ? (numLabels ?? labelWeights?.length) : undefined;
  const stateShape = multiLabel ? [T, undefined] : [T];
  const labelsOf = (s: AucState) => (multiLabel ? s.tp.shape[1]! : 0);

  const spec = Object.freeze({
    id: 'trellis/auc',
    config: Object.freeze({
      numThresholds,
      curve,
      summationMethod,
      thresholds: userThresholds ? grid.values.slice(1, -1) : null,
      multiLabel,
      numLabels: numLabels ?? null,
      labelWeights: labelWeights ?? null,
      fromLogits,
      name,
    }) as AucSpecConfig,
  });

  return {
    spec,
    name,
    init: () => zeroState(STATE_KEYS, multiLabel ? [T, fixedLabels ?? 0] : [T]),
    update(state, yTrue, yPred, sampleWeight) {
      checkState(name, state, STATE_KEYS, stateShape);
      if (!multiLabel) return accumulate(name, options, STATE_KEYS, state, yTrue, yPred, sampleWeight);
      const labels = batchLabels(name, options, yTrue, yPred, sampleWeight);
      const have = labelsOf(state);
      const want = have > 0 ? have : fixedLabels;
      if (want !== undefined && labels !== want) {
        throw new ShapeError(
          `${name}: this multi-label AUC counts ${want} labels (from ${have > 0 ? 'earlier batches' : 'numLabels or labelWeights'}), ` +
            `but yPred ${describeValue(yPred)} has ${labels}. Pass [batch, ${want}] predictions.`,
        );
      }
      if (have > 0) return accumulate(name, options, STATE_KEYS, state, yTrue, yPred, sampleWeight);
      const fresh = zeroState(STATE_KEYS, [T, labels]);
      try {
        return accumulate(name, options, STATE_KEYS, fresh, yTrue, yPred, sampleWeight);
      } finally {
        tf.dispose(Object.values(fresh));
      }
    },
    result(state) {
      checkState(name, state, STATE_KEYS, stateShape);
      if (multiLabel && labelsOf(state) === 0) return tf.scalar(0, 'float32');
      return tf.tidy(() => area(state, curve!, summationMethod!, multiLabel, labelWeights));
    },
    merge(a, b) {
      checkState(name, a, STATE_KEYS, stateShape);
      checkState(name, b, STATE_KEYS, stateShape);
      if (multiLabel) {
        const [la, lb] = [labelsOf(a), labelsOf(b)];
        if (la === 0 || lb === 0) {
          const from = la === 0 ? b : a;
          return tf.tidy(() => Object.fromEntries(STATE_KEYS.map((k) => [k, tf.clone(from[k])]))) as unknown as AucState;
        }
        if (la !== lb) {
          throw new StateError(`${name}: cannot merge states of ${la} and ${lb} labels; merge states of the same multi-label AUC.`);
        }
      }
      return addStates(STATE_KEYS, a, b);
    },
  };
}

function checkAucThresholds(who: string, value: unknown): number[] {
  if (!Array.isArray(value)) {
    throw new ConfigError(
      `${who}: thresholds must be an array of numbers in [0, 1]; got ${describeValue(value)}. For example thresholds: [0.25, 0.5, 0.75].`,
    );
  }
  return checkThresholds(who, value, 0.5);
}

function checkLabelWeights(who: string, value: unknown): number[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(`${who}: labelWeights must be a non-empty array of non-negative numbers; got ${describeValue(value)}.`);
  }
  return value.map((w, i) => checkNumber(who, `labelWeights[${i}]`, w, {min: 0, example: 1}));
}

/** The area of Keras' `AUC.result()` (runs inside `tf.tidy`). */
function area(
  state: AucState,
  curve: AucCurve,
  method: AucSummationMethod,
  multiLabel: boolean,
  labelWeights: readonly number[] | undefined,
): tf.Tensor {
  const {tp, fp, tn, fn} = state;
  const n = tp.shape[0]!;
  const head = (x: tf.Tensor) => tf.slice(x, 0, n - 1);
  const tail = (x: tf.Tensor) => tf.slice(x, 1, n - 1);
  let terms: tf.Tensor;
  if (curve === 'PR' && method === 'interpolation') {
    // Davis & Goadrich (2006): interpolate the counts between thresholds, not precision.
    const dtp = tf.sub(head(tp), tail(tp));
    const p = tf.add(tp, fp);
    const dp = tf.sub(head(p), tail(p));
    const slope = tf.divNoNan(dtp, tf.maximum(dp, 0));
    const intercept = tf.sub(tail(tp), tf.mul(slope, tail(p)));
    const bothPositive = tf.logicalAnd(tf.greater(head(p), 0), tf.greater(tail(p), 0));
    const safeRatio = tf.where(bothPositive, tf.divNoNan(head(p), tf.maximum(tail(p), 0)), tf.onesLike(tail(p)));
    terms = tf.divNoNan(tf.mul(slope, tf.add(dtp, tf.mul(intercept, tf.log(safeRatio)))), tf.maximum(tf.add(tail(tp), tail(fn)), 0));
  } else {
    const recall = tf.divNoNan(tp, tf.add(tp, fn));
    const [x, y] = curve === 'ROC' ? [tf.divNoNan(fp, tf.add(fp, tn)), recall] : [recall, tf.divNoNan(tp, tf.add(tp, fp))];
    const heights =
      method === 'interpolation'
        ? tf.div(tf.add(head(y), tail(y)), 2)
        : method === 'minoring'
          ? tf.minimum(head(y), tail(y))
          : tf.maximum(head(y), tail(y));
    terms = tf.mul(tf.sub(head(x), tail(x)), heights);
  }
  if (!multiLabel) return tf.sum(terms);
  const byLabel = tf.sum(terms, 0);
  if (!labelWeights) return tf.mean(byLabel);
  const w = tf.tensor1d(labelWeights as number[], 'float32');
  return tf.divNoNan(tf.sum(tf.mul(byLabel, w)), tf.sum(w));
}
