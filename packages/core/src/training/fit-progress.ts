/**
 * Where a running fit is, and the {@link FitContext} its callbacks receive
 * (internal, shared by `fit` and `fitDataset`).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, StateError, describeValue as describe} from '../errors';
import type {Callback, FitContext, FitParams, TrainingState} from '../spec/callback';
import type {BatchSource} from './batch-source';
import type {TrainingModel} from '../spec/training-model';
import {EpochState, readScalars} from './epoch-state';
import type {History} from './history';

/** The key under which the first non-finite batch is read back with the logs (never a log itself). */
const FIRST_NON_FINITE = '\u0000first_non_finite_batch';

/** The mutable progress of one fit; `context` reads it live. */
export class FitProgress {
  epoch: number;
  /** The batch within the epoch, from 0. */
  batch = 0;
  /** Optimizer steps taken so far. */
  steps = 0;
  /** The running epoch's device-side accumulators, while it runs. */
  epochState: EpochState | null = null;
  /** The finished epoch's logs, once read back. */
  epochLogs: Record<string, number> | null = null;
  stopRequested: {reason: string} | null = null;
  /** Whether the `onEpochEnd` hooks are running (the only time `setLog` may change the epoch's logs). */
  inEpochEnd = false;
  /** Whether the `onBatchEnd` hooks are running. */
  inBatchEnd = false;
  /** Whether the `onFitStart` hooks are running (the only time `resume` may be called). */
  inFitStart = false;
  /** What `resume` asked for, until the loop takes it. */
  #resume: TrainingState | null = null;
  /** The fit's data and callbacks, for `trainingState` (set by the loop). */
  #source: BatchSource | null = null;
  #callbacks: readonly Callback[] = [];
  /** The fit's History, once the first epoch ended. */
  history: History | null = null;
  /** What callbacks see. */
  readonly context: FitContext;

  constructor(model: TrainingModel, params: FitParams, initialEpoch: number) {
    this.epoch = initialEpoch;
    const progress = this;
    this.context = {
      get epoch() {
        return progress.epoch;
      },
      get batch() {
        return progress.batch;
      },
      get step() {
        return progress.steps;
      },
      params,
      model,
      get stopRequested() {
        return progress.stopRequested;
      },
      get learningRate() {
        return model.optimizer.learningRate;
      },
      setLog(key, value) {
        if (typeof key !== 'string' || key === '') {
          throw new ConfigError(`setLog expects a non-empty string key; got ${describe(key)}.`);
        }
        if (typeof value !== 'number') {
          throw new ConfigError(`setLog('${key}', value) expects a number; got ${describe(value)}.`);
        }
        if (!progress.inEpochEnd || !progress.epochLogs) {
          throw new StateError(`setLog('${key}') can only be called in onEpochEnd, where the epoch's logs exist.`);
        }
        progress.epochLogs[key] = value;
        progress.history?.setLast(key, value);
      },
      trainingState() {
        return progress.#trainingState(params);
      },
      resume(state) {
        if (!progress.inFitStart) throw new StateError('resume(state) can only be called in onFitStart, before the first epoch.');
        progress.#resume = checkTrainingState(state, params);
      },
      stop(reason = 'stop() was called') {
        progress.stopRequested ??= {reason};
      },
      async readLogs(keys) {
        let logs: Record<string, number>;
        if (progress.epochLogs) logs = progress.epochLogs;
        else if (progress.epochState) logs = await readScalars(progress.epochState.tensors('', {batchLoss: true}));
        else logs = {};
        if (!keys) return {...logs};
        return Object.fromEntries(keys.filter((k) => k in logs).map((k) => [k, logs[k]!]));
      },
    };
  }
  /** Lets `trainingState` read the fit's data source and callbacks. */
  attach(source: BatchSource, callbacks: readonly Callback[]): void {
    this.#source = source;
    this.#callbacks = callbacks;
  }

  /**
   * The resume point `resume` set, once: the counters move there and each
   * callback with `loadState` gets its saved state (matched by name, in
   * order). Null when the fit starts afresh.
   */
  takeResume(): TrainingState | null {
    const state = this.#resume;
    this.#resume = null;
    if (state === null) return null;
    const saved = [...state.callbacks];
    for (const cb of this.#callbacks) {
      if (typeof cb.loadState !== 'function') continue;
      const at = saved.findIndex((entry) => entry.name === cb.name);
      if (at < 0) continue;
      cb.loadState(saved[at]!.state);
      saved.splice(at, 1);
    }
    this.epoch = state.epoch;
    this.steps = state.step;
    return state;
  }

  #trainingState(params: FitParams): TrainingState {
    const callbacks = () =>
      this.#callbacks.filter((cb) => typeof cb.saveState === 'function').map((cb) => ({name: cb.name, state: cb.saveState!()}));
    if (this.inEpochEnd && this.#source) {
      return {version: 1, epoch: this.epoch + 1, batch: 0, step: this.steps, data: this.#source.saveState(false), callbacks: callbacks()};
    }
    if (this.inBatchEnd && this.#source) {
      if (this.batch + 1 >= params.stepsPerEpoch) {
        throw new StateError(
          `trainingState() after the last batch of epoch ${this.epoch}: the epoch's end (validation, onEpochEnd) has not run yet. Take the state in onEpochEnd.`,
        );
      }
      return {
        version: 1,
        epoch: this.epoch,
        batch: this.batch + 1,
        step: this.steps,
        data: this.#source.saveState(true),
        callbacks: callbacks(),
      };
    }
    throw new StateError('trainingState() can only be called in onBatchEnd or onEpochEnd.');
  }

  /** Starts an epoch: no logs yet, batch 0. */
  beginEpoch(): void {
    this.epochLogs = null;
    this.batch = 0;
  }

  /** Makes `state` the running epoch's accumulators (what `readLogs` reads until the epoch ends); returns it. */
  accumulate(state: EpochState): EpochState {
    this.epochState = state;
    return state;
  }

  /** Frees the running epoch's accumulators, if any (an epoch without batches, or a failed fit). */
  dropEpoch(): void {
    this.epochState?.dispose();
    this.epochState = null;
  }

  /**
   * Ends the running epoch as `fit` and `fitDataset` do: takes the epoch's
   * logs from its device accumulators (and frees them), adds the validation
   * logs `validate` computes (null when this epoch does not validate), reads
   * everything back in one transfer and records it in `history`. On an error
   * the scalars made so far are disposed.
   */
  async endEpoch(history: History, started: number, validate: (() => Promise<Record<string, tf.Scalar>>) | null): Promise<void> {
    try {
      await this.epochState!.settled();
    } catch (error) {
      this.epochState!.dispose();
      this.epochState = null;
      throw error;
    }
    // Each batch loss already holds the penalties at that step's weights (Keras' loss tracker).
    const scalars = this.epochState!.tensors('');
    scalars[FIRST_NON_FINITE] = this.epochState!.firstNonFiniteBatch();
    this.epochState!.dispose();
    this.epochState = null;
    if (validate) {
      try {
        Object.assign(scalars, await validate());
      } catch (error) {
        tf.dispose(Object.values(scalars));
        throw error;
      }
    }
    const logs = await readScalars(scalars);
    const firstNonFinite = logs[FIRST_NON_FINITE]!;
    delete logs[FIRST_NON_FINITE];
    if (firstNonFinite >= 0 && history.firstNonFinite === null) history.firstNonFinite = {epoch: this.epoch, batch: firstNonFinite};
    this.epochLogs = logs;
    this.history = history;
    history.record(this.epoch, this.epochLogs, (performance.now() - started) / 1000);
  }
}

/** `state` checked as a {@link TrainingState} that can continue a fit of `params`. */
function checkTrainingState(state: unknown, params: FitParams): TrainingState {
  const s = state as Partial<TrainingState> | null;
  const count = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  const ok =
    s !== null &&
    typeof s === 'object' &&
    s.version === 1 &&
    count(s.epoch) &&
    count(s.batch) &&
    count(s.step) &&
    s.batch! < Math.max(1, params.stepsPerEpoch) &&
    Array.isArray(s.callbacks) &&
    s.callbacks.every((c) => c !== null && typeof c === 'object' && typeof c.name === 'string');
  if (!ok) {
    throw new StateError(
      `resume expects a state from context.trainingState() of the same fit ({version: 1, epoch, batch < ${params.stepsPerEpoch}, step, data, callbacks}); got ${describe(state)}.`,
    );
  }
  return s as TrainingState;
}
