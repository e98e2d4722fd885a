/**
 * Streaming metrics.
 *
 * Contract version 1. A metric is a pure reducer over a state tree that stays
 * on the device: the fit loop calls `update` every batch and `result` once per
 * epoch, so precision and recall are exact over the epoch (not averages of
 * batch values).
 * @module
 */
import type {Tensor} from '@tensorflow/tfjs-core';
import type {Json, Serializable} from './json';
import type {Loss} from './loss';
import type {StateTree} from './state';

/** A streaming metric as a pure reducer; `init()` is the reset state. */
export interface Metric<S extends StateTree = StateTree, C extends Json = Json> extends Serializable<C> {
  /** The log key (`accuracy`; validation logs prefix it with `val_`). */
  readonly name: string;
  /** A fresh state; its tensors are owned by the caller. */
  init(): S;
  /**
   * Folds one batch into the state. Returns a new state; disposes nothing
   * (the caller disposes the old state). `sampleWeight` has shape `[batch]`.
   */
  update(state: S, yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): S;
  /**
   * The value so far, a new tensor owned by the caller: a scalar for one
   * value; rank 1 for one value per class or threshold (`f1Score({average:
   * null})`, `precision({thresholds: [0.3, 0.7]})`), which `fit` and
   * `evaluate` log as `<name>_0`, `<name>_1`, …; rank 2 or more (a confusion
   * matrix) is kept out of the logs (read it with `StreamingMetric` or
   * `computeMetric` of @trellis/metrics).
   */
  result(state: S): Tensor;
  /** Combines two states (shards, workers). */
  merge?(a: S, b: S): S;
  /**
   * Resolves once every asynchronous check that earlier `update` calls
   * started has finished; rejects with the first one that failed (a
   * `DataError`, say), and forgets it. For a metric that validates its inputs
   * through an asynchronous readback, where a synchronous one is refused
   * (`confusionMatrix` on webgpu). `fit` awaits it before each epoch's logs
   * and after its validation pass; `evaluate`, `evaluateDataset`,
   * `trainOnBatch` and `testOnBatch` before their results;
   * `computeMetricAsync` before its result. Absent: nothing to wait for.
   */
  settled?(): Promise<void>;
  /**
   * Whether `fit` and `evaluate` pass the batch's sample weights to `update`
   * (as Keras does for its loss trackers and `weighted_metrics`). Absent or
   * false: the metric is not weighted, as Keras' compiled `metrics`.
   */
  readonly usesSampleWeight?: boolean;
  /**
   * Returns the variant that fits the compiled loss (e.g. `accuracy()` →
   * sparse categorical accuracy for sparse crossentropy). Called by `compile`.
   */
  forLoss?(loss: Loss): Metric;
}
