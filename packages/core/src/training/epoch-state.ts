/**
 * Device-side accumulators of one pass over data: the loss sum and every
 * metric's state. Nothing here reads back; `tensors()` gives scalars to read
 * in one go.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {Metric} from '../spec/metric';
import type {StateTree} from '../spec/state';
import {disposeReplaced, keepTree} from '../state-tree';
import type {Tensors} from './tensors';
import type {StepResult} from './train-step';
import {metricFitError, usesSampleWeight} from './metric-fit';

export {usesSampleWeight};

/** Running loss and metric states of a pass; owns its tensors. */
export class EpochState {
  #lossSum: tf.Scalar;
  #samples = 0;
  #lastLoss: tf.Scalar | null = null;
  /** The index of the first batch whose loss was NaN or infinite, or -1 (on the device: no readback per batch). */
  #firstNonFinite: tf.Scalar;
  #batches = 0;
  #penaltySum: tf.Scalar | null = null;
  #states: StateTree[];
  /** Sums of each output's batch losses times batch size (several outputs only). */
  #outputSums: tf.Scalar[] | null;

  /**
   * @param outputNames - the outputs of a model with several, whose losses
   *   (before `lossWeights`) are logged as `<output>_loss`; null for one output.
   */
  constructor(
    readonly metrics: readonly Metric[],
    readonly outputNames: readonly string[] | null = null,
  ) {
    this.#lossSum = tf.keep(tf.scalar(0));
    this.#firstNonFinite = tf.keep(tf.scalar(-1));
    this.#states = metrics.map((m) => keepTree(() => m.init()));
    this.#outputSums = outputNames && outputNames.map(() => tf.keep(tf.scalar(0)));
  }

  /** Samples seen so far. */
  get samples(): number {
    return this.#samples;
  }

  /**
   * Adds a batch's {@link StepResult}: takes over its `loss` (the batch's
   * mean loss), `penalty` (the regularization part of it, or null) and
   * `outputLosses` (several outputs: each output's batch loss before
   * `lossWeights`); `yb`, `pred` and `wb` (arrays for several outputs) are
   * read, not disposed. The sample weights go only to metrics that ask for
   * them ({@link usesSampleWeight}).
   */
  add(result: StepResult): void {
    const {loss: batchLoss, size: n, yb: yTrue, pred: yPred, penalty, wb: sampleWeight, outputLosses} = result;
    // Metrics first: a metric that cannot take the batch throws before anything changes here.
    let states: StateTree[];
    try {
      states = this.#updatedStates(yTrue, yPred, sampleWeight);
    } catch (error) {
      tf.dispose([batchLoss, ...(penalty ? [penalty] : []), ...(outputLosses ?? [])]);
      throw error;
    }
    this.#states.forEach((old, i) => disposeReplaced(old, states[i]));
    this.#states = states;
    if (this.#outputSums && outputLosses) {
      const sums = this.#outputSums;
      this.#outputSums = tf.tidy(() => sums.map((sum, i) => tf.add(sum, tf.mul(outputLosses[i]!, tf.scalar(n))) as tf.Scalar));
      tf.dispose([...sums, ...outputLosses]);
    } else if (outputLosses) {
      tf.dispose([...outputLosses]);
    }
    if (penalty) {
      const sum = tf.tidy(() => tf.add(this.#penaltySum ?? tf.scalar(0), tf.mul(penalty, tf.scalar(n))) as tf.Scalar);
      this.#penaltySum?.dispose();
      penalty.dispose();
      this.#penaltySum = sum;
    }
    const lossSum = tf.tidy(() => tf.add(this.#lossSum, tf.mul(batchLoss, tf.scalar(n))) as tf.Scalar);
    this.#lossSum.dispose();
    this.#lossSum = lossSum;
    const first = this.#firstNonFinite;
    const batch = this.#batches;
    // x - x is 0 for a finite x and NaN for NaN and ±Infinity (kernels every backend has).
    this.#firstNonFinite = tf.tidy(() =>
      tf.where(tf.logicalAnd(tf.less(first, 0), tf.notEqual(tf.sub(batchLoss, batchLoss), 0)), tf.scalar(batch), first),
    ) as tf.Scalar;
    first.dispose();
    this.#lastLoss?.dispose();
    this.#lastLoss = batchLoss;
    this.#samples += n;
    this.#batches += 1;
  }

  /** A copy of the index (within this pass) of the first batch whose loss was NaN or infinite, or -1; owned by the caller. */
  firstNonFiniteBatch(): tf.Scalar {
    return tf.clone(this.#firstNonFinite);
  }

  /** Every metric's state after the batch (new tensors, kept); the old states are untouched. */
  #updatedStates(yTrue: Tensors, yPred: Tensors, sampleWeight: Tensors | null): StateTree[] {
    const states: StateTree[] = [];
    try {
      this.metrics.forEach((metric, i) => {
        // A multi-output model's metrics pick their output from the arrays (see compile).
        const weights = usesSampleWeight(metric) && sampleWeight ? (sampleWeight as tf.Tensor) : undefined;
        states.push(keepTree(() => metric.update(this.#states[i]!, yTrue as tf.Tensor, yPred as tf.Tensor, weights)));
      });
    } catch (error) {
      this.#states.forEach((old, i) => {
        if (states[i] !== undefined) disposeReplaced(states[i], old);
      });
      throw metricFitError(this.metrics[states.length]!, yTrue, yPred, error);
    }
    return states;
  }

  /**
   * The logs as scalars owned by the caller: `loss` (mean over samples, plus
   * `penalty` when given), `<output>_loss` for several outputs, `regularization_loss` (the part of `loss` that
   * penalties make, when batches brought one), each metric by name (see
   * {@link metricLogs} for metrics with several values), and `batch_loss`
   * when asked.
   */
  tensors(prefix = '', options: {batchLoss?: boolean; penalty?: tf.Scalar} = {}): Record<string, tf.Scalar> {
    return tf.tidy(() => {
      const out: Record<string, tf.Scalar> = {};
      let loss = tf.div(this.#lossSum, tf.scalar(Math.max(1, this.#samples))) as tf.Scalar;
      if (options.penalty) loss = tf.add(loss, options.penalty) as tf.Scalar;
      out[`${prefix}loss`] = loss;
      this.outputNames?.forEach((name, i) => {
        out[`${prefix}${name}_loss`] = tf.div(this.#outputSums![i]!, tf.scalar(Math.max(1, this.#samples))) as tf.Scalar;
      });
      if (this.#penaltySum)
        out[`${prefix}regularization_loss`] = tf.div(this.#penaltySum, tf.scalar(Math.max(1, this.#samples))) as tf.Scalar;
      this.metrics.forEach((metric, i) => {
        Object.assign(out, metricLogs(`${prefix}${metric.name}`, metric.result(this.#states[i]!)));
      });
      if (options.batchLoss && this.#lastLoss) out[`${prefix}batch_loss`] = tf.clone(this.#lastLoss);
      return out;
    });
  }

  /** Waits for the metrics' asynchronous input checks ({@link Metric.settled}); rejects with the first failure. */
  async settled(): Promise<void> {
    for (const metric of this.metrics) await metric.settled?.();
  }

  /** Disposes every tensor held. */
  dispose(): void {
    this.#lossSum.dispose();
    this.#firstNonFinite.dispose();
    this.#lastLoss?.dispose();
    this.#lastLoss = null;
    this.#penaltySum?.dispose();
    this.#penaltySum = null;
    tf.dispose(this.#outputSums ?? []);
    this.#outputSums = null;
    for (const s of this.#states) disposeReplaced(s, undefined);
    this.#states = [];
  }
}

/**
 * A metric's result as log entries (inside `tf.tidy`): a scalar under `key`;
 * one value per class or threshold (rank 1) under `key_0`, `key_1`, …; a
 * result of rank 2 or more (a confusion matrix) is left out of the logs.
 */
export function metricLogs(key: string, result: tf.Tensor): Record<string, tf.Scalar> {
  if (result.rank === 0) return {[key]: result as tf.Scalar};
  if (result.rank !== 1) return {};
  return Object.fromEntries(tf.unstack(result).map((value, i) => [`${key}_${i}`, value as tf.Scalar]));
}

/** Reads named scalars back in one transfer and disposes them. */
export async function readScalars(scalars: Record<string, tf.Scalar>): Promise<Record<string, number>> {
  const keys = Object.keys(scalars);
  if (keys.length === 0) return {};
  const stacked = tf.tidy(() => tf.stack(keys.map((k) => tf.cast(scalars[k]!, 'float32'))));
  try {
    const values = await stacked.data();
    return Object.fromEntries(keys.map((k, i) => [k, values[i]!]));
  } finally {
    stacked.dispose();
    for (const k of keys) scalars[k]!.dispose();
  }
}
