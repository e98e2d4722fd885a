/**
 * The order in which `fit` visits its training rows, as Keras' array data
 * adapter and epoch iterator do.
 * @module
 */
import {StateError} from '../errors';
import type {Rng} from '../seed';

/** `fit`'s `shuffle`: reshuffle every pass, shuffle within batch-sized chunks, or keep the order. */
export type Shuffle = boolean | 'batch';

/** One batch: rows `indices` (relative to the first training row), or `[start, start + size)` when null. */
export interface BatchRows {
  readonly indices: Int32Array | null;
  readonly start: number;
  readonly size: number;
}

/** What {@link RowOrder.saveState} gives. */
export type RowOrderState = {readonly position: number; readonly order: readonly number[] | null};

/**
 * Batches over repeated passes through `samples` rows. A pass is
 * `ceil(samples / batchSize)` batches, the last one possibly smaller. With
 * `shuffle: true` every pass starts with a new permutation of all rows;
 * with `'batch'` the rows of each batch-sized chunk are permuted and the
 * chunks keep their order (so a batch holds the same rows as without
 * shuffling, as in Keras 3); with `false` rows come in order.
 *
 * An epoch takes `stepsPerEpoch` batches (default: one pass). As in Keras'
 * epoch iterator, a pass continues across epochs when `stepsPerEpoch` is
 * smaller than a pass, and an epoch ends early when its pass runs out: a new
 * pass starts only at the next epoch.
 */
export class RowOrder {
  readonly batchesPerPass: number;
  readonly #order: Int32Array;
  #position = 0;

  constructor(
    readonly samples: number,
    readonly batchSize: number,
    readonly shuffle: Shuffle,
    readonly rng: Rng,
  ) {
    this.batchesPerPass = Math.ceil(samples / batchSize);
    this.#order = new Int32Array(samples).map((_, i) => i);
  }

  /** The next batch of the current pass, or null when the pass has run out (call {@link endEpoch}). */
  next(): BatchRows | null {
    if (this.#position >= this.batchesPerPass) return null;
    if (this.#position === 0 && this.shuffle === true) this.rng.shuffle(this.#order);
    const start = this.#position * this.batchSize;
    const size = Math.min(this.batchSize, this.samples - start);
    this.#position++;
    if (this.shuffle === true) return {indices: this.#order.subarray(start, start + size), start, size};
    if (this.shuffle === 'batch') {
      const indices = this.rng.shuffle(new Int32Array(size).map((_, i) => start + i));
      return {indices, start, size};
    }
    return {indices: null, start, size};
  }

  /** Ends an epoch: a pass that has run out restarts at the next batch. */
  endEpoch(): void {
    if (this.#position >= this.batchesPerPass) this.#position = 0;
  }

  /**
   * Where the walk is: the batch position in the pass and, when shuffling
   * whole passes, the pass' permutation (to resume a run exactly).
   */
  saveState(): RowOrderState {
    return {position: this.#position, order: this.shuffle === true ? Array.from(this.#order) : null};
  }

  /**
   * Goes back to a {@link saveState} of a walk over the same rows and batch
   * size. @throws StateError when it does not fit this walk.
   */
  loadState(state: RowOrderState): void {
    const {position, order} = state;
    const fits =
      Number.isInteger(position) &&
      position >= 0 &&
      position <= this.batchesPerPass &&
      (this.shuffle === true ? isPermutation(order, this.samples) : order === null);
    if (!fits) {
      throw new StateError(
        `The saved batch order does not fit this fit (${this.samples} samples, ${this.batchesPerPass} batches a pass, shuffle ${String(this.shuffle)}); ` +
          'resume with the same data, batchSize and shuffle as the run that saved it.',
      );
    }
    if (order) this.#order.set(order);
    this.#position = position;
  }

  /** Starts a new pass at the next batch (an epoch of a fit without `stepsPerEpoch`). */
  restart(): void {
    this.#position = 0;
  }
}

/** Whether `order` holds each of the rows `0 … samples - 1` once. */
function isPermutation(order: unknown, samples: number): order is readonly number[] {
  if (!Array.isArray(order) || order.length !== samples) return false;
  const seen = new Uint8Array(samples);
  for (const row of order) {
    if (!Number.isInteger(row) || row < 0 || row >= samples || seen[row]) return false;
    seen[row] = 1;
  }
  return true;
}
