/**
 * The oracle contract: what decides the next trial. An oracle is asked for
 * trials in order; each answer may depend only on the trials before it, and
 * an oracle that needs a result still out answers `'wait'` (without changing
 * its state), so a parallel search makes the very trials a sequential one
 * makes (internal).
 * @module
 */
import type {Json} from '@trellis/core';
import type {Objective} from '../objective';
import type {HpValue, HyperParameter} from '../space/hyperparameter';
import type {Trial} from '../trial';

/** What an oracle sees when asked for the trial at `index`. */
export interface OracleContext {
  readonly index: number;
  /** Every trial created so far, in order (`'RUNNING'`: its result is not in yet). */
  readonly trials: readonly Trial[];
  /** The search space as known now. */
  readonly space: readonly HyperParameter[];
  readonly objective: Objective;
}

/** An oracle's answer: run a trial with these values, wait for a running trial, or stop. */
export type OracleDecision =
  | {readonly status: 'run'; readonly values: Readonly<Record<string, HpValue>>}
  | {readonly status: 'wait'}
  | {readonly status: 'stop'};

/** A running oracle (its state lives as long as one `search`). */
export interface Oracle {
  next(context: OracleContext): OracleDecision;
}

/** An oracle's kind and settings: what a tuner keeps and starts an oracle from. */
export interface OracleDefinition {
  /** `'randomSearch'`, `'gridSearch'`, `'hyperband'` or `'bayesianOptimization'`. */
  readonly name: string;
  /** Its settings, written to `oracle.json` so a resumed search can check it continues the same search. */
  readonly config: Json;
  /** The most trials it makes (null: its own schedule decides). */
  readonly maxTrials: number | null;
  /** A fresh oracle for a search with `seed`. */
  create(seed: number): Oracle;
}

/** Stop, or wait when some trial still runs (its end may open new choices). */
export function stopOrWait(trials: readonly Trial[]): OracleDecision {
  return trials.some((t) => t.status === 'RUNNING') ? {status: 'wait'} : {status: 'stop'};
}
