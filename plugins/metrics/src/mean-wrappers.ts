import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, ShapeError, checkOptions, describe, type Json, type Metric, type Spec, optionKeys} from '@trellis/core';
import {checkName, meanMetric, type AccuracyState} from './accuracy-state';
import {checkBatch, checkStateKeys} from './metric-checks';

/**
 * The function a {@link mean} or {@link sum} metric reduces: values for one
 * batch, shape `[batch]` or `[batch, ...]`, float32-castable. It runs inside
 * `tf.tidy` (its intermediates are freed); it must not dispose its inputs.
 * Give it a spec with core's `withSpec` (and register it as a `loss`) to make
 * the metric serializable; a loss of `@trellis/layers` already has one.
 */
export type ValueFn = ((yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor) & {readonly spec?: Spec};

/** Options of {@link mean} and {@link sum}. */
export type ValueMetricConfig = {
  /** The values to reduce: `(yTrue, yPred) => [batch] or [batch, ...]`. Required. */
  readonly fn: ValueFn;
  /** The log key; default `'mean'` (`'sum'` for {@link sum}). */
  readonly name?: string;
};

/**
 * The spec config of {@link mean} and {@link sum}: `fn` is the function's
 * own spec, absent when the function has none (then the spec cannot be
 * rebuilt).
 */
export type ValueMetricSpecConfig = {readonly name: string; readonly fn?: Spec};

/** The state of {@link sum}: `{total}`, a float32 scalar on the device. */
export type SumState = {readonly total: tf.Scalar};

const KEYS = optionKeys<ValueMetricConfig>({fn: true, name: true});

function checkFn(who: string, fn: unknown): ValueFn {
  if (typeof fn !== 'function') {
    throw new ConfigError(
      `${who} needs fn: (yTrue, yPred) => values [batch] or [batch, ...], the quantity to ${who === 'mean' ? 'average' : 'add up'} ` +
        `(Keras' ${who === 'mean' ? 'MeanMetricWrapper(fn)' : 'Sum'}); got ${describe(fn)}. ` +
        `To reduce values you already have, pass fn: (_yTrue, values) => values and call update(values, values). ` +
        `A spec {id: 'trellis/${who}', config: {name}} without fn was saved from a function without a spec and cannot be rebuilt: ` +
        `give the function a spec with withSpec() and register it as a loss.`,
    );
  }
  return fn as ValueFn;
}

function specConfig(name: string, fn: ValueFn): ValueMetricSpecConfig {
  const s = fn.spec;
  return s !== null && typeof s === 'object' && typeof s.id === 'string' ? {name, fn: {id: s.id, config: s.config as Json}} : {name};
}

function values(name: string, fn: ValueFn, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const v = fn(yTrue, yPred);
  const batch = yPred.shape[0]!;
  if (!(v instanceof tf.Tensor) || v.rank === 0 || v.shape[0] !== batch) {
    throw new ShapeError(
      `${name}: fn must return one value (or more) per sample, shape [${batch}] or [${batch}, ...]; got ${describe(v)}. ` +
        `Reduce over the non-batch axes only.`,
    );
  }
  return v;
}

/**
 * The (weighted) mean of a per-sample quantity: `fn(yTrue, yPred)` gives
 * values `[batch]` or `[batch, ...]`; each sample's values are averaged, then
 * samples are averaged with their `sampleWeight` (`Σ w·v / Σ w`). Keras:
 * `keras.metrics.MeanMetricWrapper(fn)` (and `Mean` for values you already
 * have: `fn: (_yTrue, values) => values`).
 *
 * Shapes: `yTrue`, `yPred` as `fn` wants them, with the same batch size;
 * `sampleWeight` `[batch]` or `[batch, 1]`. State `{total, count}` (float32
 * scalars); result a float32 scalar, 0 before any update.
 *
 * Serialization: when `fn` carries a spec (core's `withSpec`, or any loss of
 * `@trellis/layers`), the spec is `{id: 'trellis/mean', config: {name, fn:
 * fn.spec}}` and `metricsPlugin` rebuilds it, resolving `fn` as a `loss`.
 * Without one the spec is `{id: 'trellis/mean', config: {name}}`, which
 * records the log key but cannot be rebuilt (resolving it is a ConfigError).
 *
 * Tensors: `fn` runs inside `tf.tidy`; `init`, `update`, `merge` and `result`
 * return new tensors owned by the caller and dispose nothing.
 *
 * @throws ConfigError without `fn` (Keras' `MeanMetricWrapper` needs one too), for an invalid `name` or an unknown option.
 * Updates throw a `ShapeError` when `fn` returns no per-sample values.
 */
export function mean(config: ValueMetricConfig): Metric<AccuracyState, ValueMetricSpecConfig> {
  const o = checkOptions('mean', config, KEYS) as Partial<ValueMetricConfig>;
  const name = checkName('mean', o.name, 'mean');
  const fn = checkFn('mean', o.fn);
  const base = meanMetric(
    {id: 'trellis/mean', config: {name}},
    () => undefined,
    (yTrue, yPred) => values(name, fn, yTrue, yPred),
  );
  const spec = Object.freeze({id: 'trellis/mean', config: Object.freeze(specConfig(name, fn))});
  return {...base, spec};
}

/**
 * The (weighted) sum of a per-sample quantity: `fn(yTrue, yPred)` gives
 * values `[batch]` or `[batch, ...]`; each sample's values are added up and
 * multiplied by its `sampleWeight`, and everything is added to the total
 * (`Σ w·Σv`). Keras: `keras.metrics.Sum` (fed with `fn`'s values). Shapes,
 * serialization, tensors and errors as {@link mean}; default name `'sum'`.
 * State `{total}` (a float32 scalar); result a new float32 scalar.
 */
export function sum(config: ValueMetricConfig): Metric<SumState, ValueMetricSpecConfig> {
  const o = checkOptions('sum', config, KEYS) as Partial<ValueMetricConfig>;
  const name = checkName('sum', o.name, 'sum');
  const fn = checkFn('sum', o.fn);
  const spec = Object.freeze({id: 'trellis/sum', config: Object.freeze(specConfig(name, fn))});
  const check = (state: unknown): void => checkStateKeys<SumState>(name, state, ['total'], '{total}');
  return {
    spec,
    name,
    init: () => ({total: tf.scalar(0, 'float32')}),
    update(state, yTrue, yPred, sampleWeight) {
      check(state);
      const batch = checkBatch(name, yTrue, yPred, sampleWeight);
      return tf.tidy(() => {
        const v = tf.cast(values(name, fn, yTrue, yPred), 'float32');
        const perSample = v.rank > 1 ? tf.sum(v, v.shape.map((_, i) => i).slice(1)) : v;
        const weighted = sampleWeight === undefined ? perSample : tf.mul(perSample, tf.reshape(tf.cast(sampleWeight, 'float32'), [batch]));
        return {total: tf.add(state.total, tf.sum(weighted)) as tf.Scalar};
      });
    },
    result(state) {
      check(state);
      return tf.clone(state.total);
    },
    merge(a, b) {
      check(a);
      check(b);
      return {total: tf.add(a.total, b.total) as tf.Scalar};
    },
  };
}
