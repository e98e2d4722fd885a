/**
 * Where a running fit is, and the {@link FitContext} its callbacks receive
 * (internal, shared by `fit` and `fitDataset`).
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type {FitContext, FitParams} from '../spec/callback';
import {EpochState, readScalars} from './epoch-state';
import type {History} from './history';

/**
 * The learning rate of the next update of `model`'s compiled optimizer: its
 * `learningRate` (a number, or a schedule called with the optimizer's step),
 * or undefined.
 */
export function currentLearningRate(model: unknown): number | undefined {
  const optimizer = (model as {compiled?: {optimizer?: {transform?: unknown; step?: number}}}).compiled?.optimizer;
  const rate = (optimizer?.transform as {learningRate?: unknown} | undefined)?.learningRate;
  if (typeof rate === 'number') return rate;
  if (typeof rate === 'function') return (rate as (step: number) => number)(optimizer!.step ?? 0);
  return undefined;
}

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
  /** What callbacks see. */
  readonly context: FitContext;

  constructor(model: unknown, params: FitParams, initialEpoch: number) {
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
        return currentLearningRate(model);
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
    history.record(this.epoch, this.epochLogs, (performance.now() - started) / 1000);
  }
}
