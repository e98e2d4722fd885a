/**
 * `defineMetric()`: a streaming metric from a plain function.
 * @module
 */
import {ConfigError, checkOptions, describeValue, optionKeys, type Metric} from '@trellis/core';
import type {AccuracyState} from './accuracy-state';
import {mean, type ValueFn, type ValueMetricSpecConfig} from './mean-wrappers';

/** Options of {@link defineMetric}. */
export type DefineMetricOptions = {
  /** The log key (`val_<name>` for validation). Required. */
  readonly name: string;
  /** `(yTrue, yPred) => values`, shape `[batch]` or `[batch, ...]` (each sample's values are averaged). Required. */
  readonly fn: ValueFn;
};

const KEYS = optionKeys<DefineMetricOptions>({name: true, fn: true});

/**
 * A streaming metric from a plain function, as Keras' `MeanMetricWrapper`:
 * the (sample-weighted) mean of `fn(yTrue, yPred)` over every sample seen
 * since the last reset, so its epoch value is the mean over all batches
 * weighted by their sizes, not a mean of batch means. It is {@link mean} with
 * a required name: `defineMetric({name, fn})` is `mean({name, fn})`.
 *
 * Tensors: `fn` runs inside `tf.tidy` and must not dispose its inputs; state and
 * result as {@link mean}. The spec is `trellis/mean`'s; it can be rebuilt when
 * `fn` carries a spec (a loss of `@trellis/layers`, or `withSpec`).
 *
 * @example
 * const meanError = defineMetric({name: 'mean_error', fn: (yTrue, yPred) => tf.sub(yPred, yTrue)});
 * model.compile({optimizer: 'adam', loss: 'mse', metrics: [meanError]});
 *
 * @throws ConfigError without a name or fn, or for an unknown option. Updates throw a ShapeError when `fn` returns no per-sample values.
 */
export function defineMetric(options: DefineMetricOptions): Metric<AccuracyState, ValueMetricSpecConfig> {
  const o = checkOptions('defineMetric', options, KEYS) as Partial<DefineMetricOptions>;
  if (typeof o.name !== 'string' || o.name.trim() === '') {
    throw new ConfigError(`defineMetric: name must be a non-empty string (the log key); got ${describeValue(o.name)}.`);
  }
  if (typeof o.fn !== 'function') {
    throw new ConfigError(`defineMetric '${o.name}': fn must be a function (yTrue, yPred) => values [batch]; got ${describeValue(o.fn)}.`);
  }
  return mean({name: o.name, fn: o.fn});
}
