/**
 * What the search and its worker threads say to each other (internal).
 * @module
 */
import type {Spec} from '@trellis/core';
import type {Objective} from '../objective';
import type {TrialJob, TrialOutcome} from '../tuner/run-trial';

/** A worker's start-up data. */
export interface WorkerSetup {
  readonly hypermodel: string;
  /** `{x, y, fitOptions}` with tensors as data (see `toWire`). */
  readonly data: unknown;
  readonly callbacks: readonly Spec[];
  readonly objective: Objective;
}

/** From the search to a worker. */
export type ToWorker = {readonly type: 'run'; readonly job: TrialJob};

/** From a worker to the search. */
export type FromWorker =
  | {readonly type: 'ready'; readonly backend: string}
  | {readonly type: 'failed'; readonly message: string}
  | {readonly type: 'done'; readonly outcome: TrialOutcome};
