/**
 * Where the one epoch loop gets its batches (Keras' `EpochIterator` over an
 * array or a dataset adapter).
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import type {Rng} from '../seed';
import type {Json} from '../spec/json';
import type {Batch} from './train-step';

/** A batch ready for a step, and how to let go of what was made for it. */
export type SourcedBatch = {
  readonly batch: Batch;
  /** Frees what the source made or received for this batch (called once its step is done, also on error). */
  release(): void;
};

/** The batches of a fit, epoch by epoch. */
export interface BatchSource {
  /** Batches an epoch takes (what `context.params.stepsPerEpoch` reports). */
  readonly stepsPerEpoch: number;
  /** The seeded stream of the fit (shuffling, dropout), made once the model is built. */
  rng(): Rng;
  /** Called before each epoch's first batch (starts a new pass when one is due). */
  beginEpoch(): Promise<void>;
  /** The next batch of the epoch (`step` counts every batch of the fit), or null when the data has run out. */
  next(step: number): Promise<SourcedBatch | null>;
  /** Called after each epoch's last batch. */
  endEpoch(): void;
  /**
   * Whether data that runs out before an epoch has its batches ends the
   * training (a dataset read across epochs), rather than only that epoch.
   */
  readonly stopsWhenDry: boolean;
  /** The error of an epoch that got no batch at all (only a dataset can yield none). */
  noBatches(epoch: number): Error;
  /** The validation logs of the epoch (`val_` scalars owned by the caller), or null when it does not validate. */
  validate(epoch: number): (() => Promise<Record<string, tf.Scalar>>) | null;
  /**
   * Where the source is, as JSON (its random stream, and for arrays the
   * batch order and position), so a resumed fit takes the same batches;
   * {@link loadState} takes it back right after `beginEpoch`.
   * `midEpoch`: whether the state must also hold the position inside an
   * epoch (a dataset source can resume only at an epoch's start).
   * @throws StateError when the source cannot say (a dataset mid-epoch).
   */
  saveState(midEpoch: boolean): Json;
  /** Goes back to a {@link saveState}. @throws StateError when it does not fit this source. */
  loadState(state: Json): void;
  /** Frees what the source holds (open iterators, converted validation data). */
  close(): Promise<void>;
}
