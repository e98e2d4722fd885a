/**
 * Where a running fit is, and the {@link FitContext} its callbacks receive
 * (internal, shared by `fit` and `fitDataset`).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, StateError, describeValue as describe} from '../errors';
import type {FitContext, FitParams} from '../spec/callback';
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
