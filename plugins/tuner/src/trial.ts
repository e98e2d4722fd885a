/**
 * A trial: one point of the search space, trained and scored (Keras Tuner's `Trial`).
 * @module
 */
import type {HpValue} from './space/hyperparameter';

/** `'RUNNING'` while it trains (or when the search was killed during it), then `'COMPLETED'` or `'FAILED'`. */
export type TrialStatus = 'RUNNING' | 'COMPLETED' | 'FAILED';

/** A trial as the tuner reports it and writes it (`trial_<id>/trial.json`). */
export interface Trial {
  /** The trial's number with four digits (`'0007'`), its position in the search. */
  readonly trialId: string;
  /** The values of its active hyperparameters by name (with Hyperband's `tuner/` keys). */
  readonly hyperparameters: Readonly<Record<string, HpValue>>;
  readonly status: TrialStatus;
  /**
   * The objective at the trial's best epoch, averaged over its executions
   * (Keras Tuner's score); null unless completed.
   */
  readonly score: number | null;
  /** The epoch (from 0) of the best objective value; null unless completed. */
  readonly bestStep: number | null;
  /** Every log value at the best epoch, averaged over the executions. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Each execution's per-epoch logs (`{loss: [...], val_loss: [...]}`), as `History.history`. */
  readonly history: readonly Readonly<Record<string, readonly number[]>>[];
  /** Why it failed (`'Error: ...'`), or null. */
  readonly message: string | null;
  /** The seed its models were built and trained with (execution `e` uses `seed + e`). */
  readonly seed: number;
}

/** The four-digit id of the trial at `index`. */
export function trialIdOf(index: number): string {
  return String(index).padStart(4, '0');
}
