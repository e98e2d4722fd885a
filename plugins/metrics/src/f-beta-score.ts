import * as tf from '@tensorflow/tfjs-core';
import {ShapeError, checkNumber, checkOptions, describe, type Metric, optionKeys} from '@trellis/core';
import {checkName} from './accuracy-state';
import {checkBatch, checkChoice, checkStateKeys} from './metric-checks';

/** How per-class scores are combined: `null` keeps one value per class. */
export type FScoreAverage = null | 'micro' | 'macro' | 'weighted';

/** Options of {@link fBetaScore}. */
export type FBetaScoreConfig = {
  /** `null` (default): one score per class (rank-1 result); `'micro'`: from global counts; `'macro'`: the mean of the class scores; `'weighted'`: their mean weighted by each class's (weighted) number of true instances. */
  readonly average?: FScoreAverage;
  /** The weight of recall against precision; a number > 0, default 1. */
  readonly beta?: number;
  /** A prediction is positive when strictly greater than this (in (0, 1]); default `null`: the highest-scored class of each sample (Keras 3). */
  readonly threshold?: number | null;
  /** The log key; default `'fbeta_score'`. */
  readonly name?: string;
};

/** Options of {@link f1Score}: those of {@link fBetaScore} without `beta` (fixed at 1). */
export type F1ScoreConfig = Omit<FBetaScoreConfig, 'beta'>;

/**
 * The state of {@link fBetaScore} and {@link f1Score}: float32 tensors on the
 * device, Keras' variables. Each is a scalar for `average: 'micro'`, else a
 * vector `[classes]` (empty `[0]` until the first update fixes the number of
 * classes). `intermediateWeights` is the weighted count of true instances per
 * class.
 */
export type FBetaState = {
  readonly truePositives: tf.Tensor;
  readonly falsePositives: tf.Tensor;
  readonly falseNegatives: tf.Tensor;
  readonly intermediateWeights: tf.Tensor;
};

const STATE_KEYS = ['truePositives', 'falsePositives', 'falseNegatives', 'intermediateWeights'] as const;
const FBETA_KEYS = optionKeys<FBetaScoreConfig>({average: true, beta: true, threshold: true, name: true});
const F1_KEYS = optionKeys<F1ScoreConfig>({average: true, threshold: true, name: true});
const AVERAGES: readonly FScoreAverage[] = [null, 'micro', 'macro', 'weighted'];
/** Keras' `backend.epsilon()`. */
const EPSILON = 1e-7;

/**
 * F-beta score: `(1 + β²) · precision · recall / (β² · precision + recall)`
 * per class, from streamed true positives, false positives and false
 * negatives. Keras: `keras.metrics.FBetaScore`, with the same state and the
 * same result formula (ε = 1e-7 in each division).
 *
 * Predictions are binarized as Keras 3 does: without `threshold`, the
 * highest score of each sample marks its class (every class tying for the
 * maximum counts, a maximum of 0 marks none); with `threshold`, every score
 * strictly above it. Multi-label targets work with a `threshold`.
 *
 * Shapes: `yTrue` and `yPred` both `[batch, classes]` (one-hot or multi-hot
 * targets; any dtypes, compared as float32), with the same `classes` on every
 * update. `sampleWeight`: `[batch]` or `[batch, 1]`. Result: a float32 vector
 * `[classes]` for `average: null` (logged as `<name>_0`, `<name>_1`, …), else
 * a scalar.
 *
 * Tensors: `init`, `update`, `merge` and `result` return new tensors owned by
 * the caller and dispose nothing (the caller disposes the old state).
 *
 * @throws ConfigError for an unknown `average`, `beta` ≤ 0, a `threshold` outside (0, 1], an invalid `name` or an unknown option.
 * Updates throw a `ShapeError` for inputs that are not `[batch, classes]` or a class count that changed.
 */
export function fBetaScore(config: FBetaScoreConfig = {}): Metric<FBetaState, Required<FBetaScoreConfig>> {
  checkOptions('fBetaScore', config, FBETA_KEYS);
  const beta = checkNumber('fBetaScore', 'beta', config.beta ?? 1, {min: 0, minExclusive: true, example: 0.5});
  const common = checkCommon('fBetaScore', config, 'fbeta_score');
  return build({id: 'trellis/fBetaScore', config: {average: common.average, beta, threshold: common.threshold, name: common.name}}, beta);
}

/**
 * F1 score: the F-beta score with β = 1, the harmonic mean of precision and
 * recall. Keras: `keras.metrics.F1Score`. Default name `'f1_score'`;
 * everything else as {@link fBetaScore} (shapes, state, tensors, errors).
 */
export function f1Score(config: F1ScoreConfig = {}): Metric<FBetaState, Required<F1ScoreConfig>> {
  checkOptions('f1Score', config, F1_KEYS);
  const common = checkCommon('f1Score', config, 'f1_score');
  return build({id: 'trellis/f1Score', config: common}, 1);
}

function checkCommon(who: string, config: F1ScoreConfig, fallback: string): Required<F1ScoreConfig> {
  const average = checkChoice(who, 'average', config.average ?? null, AVERAGES);
  const threshold =
    config.threshold === undefined || config.threshold === null
      ? null
      : checkNumber(who, 'threshold', config.threshold, {min: 0, minExclusive: true, max: 1, example: 0.5});
  const name = checkName(who, config.name, fallback);
  return {average, threshold, name};
}

function build<C extends Required<F1ScoreConfig>>(spec: {id: string; config: C}, beta: number): Metric<FBetaState, C> {
  const {average, threshold, name} = spec.config;
  const micro = average === 'micro';
  const frozen = Object.freeze({id: spec.id, config: Object.freeze({...spec.config})});
  const check = (state: unknown): void =>
    checkStateKeys<FBetaState>(name, state, STATE_KEYS, '{truePositives, falsePositives, falseNegatives, intermediateWeights}');
  const zeros = (): FBetaState => {
    const z = () => (micro ? tf.scalar(0, 'float32') : tf.zeros([0], 'float32'));
    return {truePositives: z(), falsePositives: z(), falseNegatives: z(), intermediateWeights: z()};
  };
  /** The classes a state has seen (0 before the first update; `undefined` for micro). */
  const classesOf = (state: FBetaState): number | undefined => (micro ? undefined : state.truePositives.shape[0]!);
  return {
    spec: frozen,
    name,
    init: zeros,
    update(state, yTrue, yPred, sampleWeight) {
      check(state);
      const batch = checkBatch(name, yTrue, yPred, sampleWeight);
      if (yPred.rank !== 2 || yTrue.rank !== 2 || yTrue.shape[1] !== yPred.shape[1]) {
        throw new ShapeError(
          `${name}: expected yTrue and yPred of the same shape [batch, classes] (one-hot or multi-hot targets); ` +
            `got yTrue ${describe(yTrue)} and yPred ${describe(yPred)}. For class ids, one-hot them first: tf.oneHot(ids, classes).`,
        );
      }
      const classes = yPred.shape[1]!;
      const seen = classesOf(state);
      if (seen !== undefined && seen !== 0 && seen !== classes) {
        throw new ShapeError(
          `${name}: this state has counts for ${seen} classes, but yPred ${describe(yPred)} has ${classes}. ` +
            `Every update of one state needs the same number of classes; start a new state with init().`,
        );
      }
      return tf.tidy(() => {
        const p = tf.cast(yPred, 'float32');
        const pred =
          threshold === null
            ? tf.logicalAnd(tf.greaterEqual(p, tf.max(p, -1, true)), tf.greater(tf.abs(p), 1e-9))
            : tf.greater(p, threshold);
        const yp = tf.cast(pred, 'float32');
        const yt = tf.cast(yTrue, 'float32');
        const w = sampleWeight === undefined ? undefined : tf.reshape(tf.cast(sampleWeight, 'float32'), [batch, 1]);
        const weightedSum = (v: tf.Tensor) => {
          const x = w === undefined ? v : tf.mul(v, w);
          return micro ? tf.sum(x) : tf.sum(x, 0);
        };
        const add = (old: tf.Tensor, v: tf.Tensor) => (old.size === 0 && !micro ? weightedSum(v) : tf.add(old, weightedSum(v)));
        const one = tf.scalar(1, 'float32');
        return {
          truePositives: add(state.truePositives, tf.mul(yp, yt)),
          falsePositives: add(state.falsePositives, tf.mul(yp, tf.sub(one, yt))),
          falseNegatives: add(state.falseNegatives, tf.mul(tf.sub(one, yp), yt)),
          intermediateWeights: add(state.intermediateWeights, yt),
        };
      });
    },
    result(state) {
      check(state);
      return tf.tidy(() => {
        if (!micro && state.truePositives.size === 0) {
          return average === null ? tf.zeros([0], 'float32') : tf.scalar(0, 'float32');
        }
        const tp = state.truePositives;
        const precision = tf.div(tp, tf.add(tf.add(tp, state.falsePositives), EPSILON));
        const recall = tf.div(tp, tf.add(tf.add(tp, state.falseNegatives), EPSILON));
        const b2 = beta * beta;
        const mean = tf.div(tf.mul(precision, recall), tf.add(tf.add(tf.mul(b2, precision), recall), EPSILON));
        const f = tf.mul(mean, 1 + b2);
        if (average === 'weighted') {
          const iw = state.intermediateWeights;
          return tf.sum(tf.mul(f, tf.div(iw, tf.add(tf.sum(iw), EPSILON))));
        }
        return average === null ? f : tf.mean(f);
      });
    },
    merge(a, b) {
      check(a);
      check(b);
      const ca = classesOf(a);
      const cb = classesOf(b);
      if (ca !== undefined && cb !== undefined && ca !== 0 && cb !== 0 && ca !== cb) {
        throw new ShapeError(`${name}: cannot merge a state of ${ca} classes with one of ${cb} classes.`);
      }
      return tf.tidy(() => {
        const sum = (x: tf.Tensor, y: tf.Tensor) =>
          x.size === 0 && !micro ? tf.clone(y) : y.size === 0 && !micro ? tf.clone(x) : tf.add(x, y);
        return {
          truePositives: sum(a.truePositives, b.truePositives),
          falsePositives: sum(a.falsePositives, b.falsePositives),
          falseNegatives: sum(a.falseNegatives, b.falseNegatives),
          intermediateWeights: sum(a.intermediateWeights, b.intermediateWeights),
        };
      });
    },
  };
}
