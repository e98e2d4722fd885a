import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, StateError, describe, type Metric, type Spec} from '@trellis/core';
import {checkBatch} from './metric-checks';

/**
 * The state of every accuracy metric: float32 scalars on the device.
 * `total` is the (weighted) sum of per-sample match rates, `count` the sum of
 * sample weights (the number of samples when unweighted).
 */
export type AccuracyState = {
  readonly total: tf.Scalar;
  readonly count: tf.Scalar;
};

/** Computes per-element matches (any shape `[batch, ...]`, 0 or 1) of one batch; runs inside `tf.tidy`. */
export type MatchFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

function checkState(metric: string, state: unknown): asserts state is AccuracyState {
  const s = state as Partial<AccuracyState> | null;
  const ok =
    s !== null &&
    typeof s === 'object' &&
    s.total instanceof tf.Tensor &&
    s.count instanceof tf.Tensor &&
    !s.total.isDisposed &&
    !s.count.isDisposed;
  if (!ok) {
    throw new StateError(
      `${metric}: expected a state {total, count} of live scalars from init() or update(); got ${describe(state)}. ` +
        `States are not reusable after being disposed: start again from init().`,
    );
  }
}

/**
 * Builds an accuracy-style metric: the (weighted) mean over samples of the
 * per-sample match rate, where the per-sample rate is the mean of `matches`
 * over every non-batch axis (Keras' `MeanMetricWrapper` reduction).
 * `check` validates shapes before anything is allocated.
 * @internal
 */
export function meanMetric<C extends {readonly name: string}>(
  spec: Spec<C>,
  check: (yTrue: tf.Tensor, yPred: tf.Tensor) => void,
  matches: MatchFn,
): Metric<AccuracyState, C> {
  const name = spec.config.name;
  const frozen = Object.freeze({id: spec.id, config: Object.freeze({...spec.config})});
  return {
    spec: frozen,
    name,
    init: () => ({total: tf.scalar(0, 'float32'), count: tf.scalar(0, 'float32')}),
    update(state, yTrue, yPred, sampleWeight) {
      checkState(name, state);
      const batch = checkBatch(name, yTrue, yPred, sampleWeight);
      check(yTrue, yPred);
      return tf.tidy(() => {
        const m = tf.cast(matches(yTrue, yPred), 'float32');
        const perSample = m.rank > 1 ? tf.mean(m, m.shape.map((_, i) => i).slice(1)) : m;
        if (sampleWeight === undefined) {
          return {total: tf.add(state.total, tf.sum(perSample)), count: tf.add(state.count, tf.scalar(batch, 'float32'))};
        }
        const w = tf.reshape(tf.cast(sampleWeight, 'float32'), [batch]);
        return {total: tf.add(state.total, tf.sum(tf.mul(perSample, w))), count: tf.add(state.count, tf.sum(w))};
      }) as AccuracyState;
    },
    result(state) {
      checkState(name, state);
      // divNoNan: an empty state (count 0) reads as 0, not NaN.
      return tf.tidy(() => tf.divNoNan(state.total, state.count) as tf.Scalar);
    },
    merge(a, b) {
      checkState(name, a);
      checkState(name, b);
      return {total: tf.add(a.total, b.total), count: tf.add(a.count, b.count)};
    },
  };
}

/** Checks and returns the `name` option (default `fallback`). @internal */
export function checkName(metric: string, name: unknown, fallback: string): string {
  if (name === undefined) return fallback;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new ConfigError(`${metric}: name must be a non-empty string (the log key); got ${describe(name)}.`);
  }
  return name;
}
