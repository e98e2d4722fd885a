/**
 * Callbacks and the fit context.
 *
 * Contract version 1. Only the hooks a callback defines are called. Losses and
 * metrics stay on the device: a hook reads them with
 * {@link FitContext.readLogs}, the only readback, so the loop never syncs per
 * batch unless a callback asks.
 * @module
 */
import type {Tensor} from '@tensorflow/tfjs-core';
import type {Json} from './json';
import type {Layer} from './layer';
import type {NamedTensors} from './state';
import type {TrainingModel} from './training-model';

/** What `fit` was asked to do. */
export interface FitParams {
  readonly epochs: number;
  readonly initialEpoch: number;
  readonly batchSize: number;
  readonly samples: number;
  readonly stepsPerEpoch: number;
  readonly validationSamples: number;
}

/**
 * Where a fit is, as JSON, to continue it later exactly
 * ({@link FitContext.trainingState}, {@link FitContext.resume}). The model's
 * weights and the optimizer's state are not in it: save and restore them
 * with `getWeights`/`setWeights` and `optimizer.getState`/`setState`.
 */
export interface TrainingState {
  readonly version: 1;
  /** The epoch the continued fit starts in. */
  readonly epoch: number;
  /** Batches of that epoch already trained (0: the epoch starts afresh). */
  readonly batch: number;
  /** Optimizer steps the fit had taken. */
  readonly step: number;
  /** The data's state: the fit's random stream (shuffling, dropout) and, over arrays, the batch order. */
  readonly data: Json;
  /** Each callback's `saveState()`, by name, in callback order. */
  readonly callbacks: readonly {readonly name: string; readonly state: Json}[];
}

/** The view of a running fit that hooks receive. */
export interface FitContext {
  /** The current epoch, counted from 0. */
  readonly epoch: number;
  /** The batch within the epoch, counted from 0. */
  readonly batch: number;
  /** Optimizer steps taken so far in this fit. */
  readonly step: number;
  readonly params: FitParams;
  /** The model being trained. */
  readonly model: TrainingModel;
  /**
   * Reads the current logs back from the device. In `onBatchEnd`: `loss` and
   * metrics over the epoch so far, and `batch_loss`. In `onEpochEnd`: the
   * epoch's logs, with `val_` keys when there is validation data.
   */
  readLogs(keys?: readonly string[]): Promise<Readonly<Record<string, number>>>;
  /**
   * Adds (or replaces) a value in the logs of the current epoch, as a Keras
   * callback writes into `logs` (`ReduceLROnPlateau` adds `learning_rate`).
   * In `onEpochEnd` only: later callbacks' `readLogs` and the `History` see
   * it. Elsewhere it throws a `StateError`.
   * @throws ConfigError for an empty key or a value that is not a number.
   */
  setLog(key: string, value: number): void;
  /**
   * Where the fit will be once this hook returns, to continue from there
   * later ({@link resume}): in `onEpochEnd`, the start of the next epoch; in
   * `onBatchEnd`, the next batch of this epoch (a fit over arrays; not
   * after an epoch's last batch, whose end has not run yet: take it in
   * `onEpochEnd` then). Holds the epoch, batch and step counters, the random
   * stream, the batch order and every callback's `saveState()`.
   * @throws StateError elsewhere, after an epoch's last batch, or
   *   mid-epoch in `fitDataset`.
   */
  trainingState(): TrainingState;
  /**
   * In `onFitStart`: continue from a {@link trainingState} of an earlier run
   * of the same fit (same data, batch size, shuffle and callbacks). The loop
   * skips to its epoch and batch, takes its random stream and batch order
   * back, and hands each callback its saved state (`loadState`, after every
   * `onFitStart`). Restore the weights and optimizer state yourself first.
   * On the cpu backend the run then ends with the weights of an
   * uninterrupted run, bit for bit. An epoch continued mid-way logs only
   * the batches trained after the resume.
   * @throws StateError outside `onFitStart`, or for a state that does not fit this fit.
   */
  resume(state: TrainingState): void;
  /** Asks the loop to stop after the current batch (Keras' `stop_training`). */
  stop(reason?: string): void;
  /** Whether `stop()` was called, and why. */
  readonly stopRequested: {readonly reason: string} | null;
  /**
   * The learning rate of the optimizer's next update, computed on the host
   * (no readback): the number, or the schedule at the optimizer's step
   * counter. Undefined when the optimizer does not expose a `learningRate`
   * (a bare gradient transform). Optional in the contract: contexts made
   * outside `fit` may leave it out.
   */
  readonly learningRate?: number;
}

/**
 * A look inside one training step (`Callback.onStepInspect`): the step's own
 * gradients, the weights around the update, and every layer's output on the
 * batch. The tensors belong to the loop and are disposed right after the
 * hook returns: read them, compute from them (keep what you compute with
 * `tf.keep`, or read it back), never dispose them.
 */
export interface StepInspection {
  /** The gradient of each trainable weight by name (`dense/kernel`), float32, the weight's shape. */
  readonly gradients: NamedTensors;
  /** The trainable weights before the update, by name. */
  readonly weightsBefore: NamedTensors;
  /** The same weights after the update (and the constraints), by name. */
  readonly weightsAfter: NamedTensors;
  /**
   * Each layer's output on the batch, in call order (layers inside nested
   * models included; a layer called twice appears twice). `output` is the
   * layer's first output, `[batch, ...]`.
   */
  readonly outputs: readonly {readonly layer: Layer; readonly output: Tensor}[];
}

/** A hook; may return a promise, which the loop awaits. */
export type Hook = (context: FitContext) => void | Promise<void>;

/** A fit callback: hooks are optional. */
export interface Callback {
  readonly name: string;
  /** Lower runs first (default 0); ties keep the order given. */
  readonly order?: number;
  onFitStart?: Hook;
  onEpochStart?: Hook;
  onBatchStart?: Hook;
  onBatchEnd?: Hook;
  onEpochEnd?: Hook;
  onFitEnd?: Hook;
  /**
   * Inspect every `inspectEvery`-th optimizer step (steps 0, N, 2N, … of
   * the fit) with `onStepInspect`. Other steps pay nothing.
   */
  readonly inspectEvery?: number;
  /**
   * Called synchronously inside an inspected training step, after the
   * update (see {@link StepInspection}); it cannot be async. Its cost is the
   * inspection's only (the step does no second backward pass).
   */
  onStepInspect?(context: FitContext, inspection: StepInspection): void;
  /** Called when the fit throws; the error is rethrown after every `onError`. */
  onError?(context: FitContext, error: unknown): void | Promise<void>;
  /** So that resuming a run restores callbacks too. */
  saveState?(): Json;
  loadState?(state: Json): void;
}
