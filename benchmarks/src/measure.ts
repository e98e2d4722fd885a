/**
 * Timing helpers shared by the workers: windows, medians, batch sampling.
 * @module
 */
import {createRng, type Rng} from '@trellis/core';

/** One measurement window: wall time over whole steps, ended at a readback. */
export type Window = {readonly ms: number; readonly steps: number; readonly msPerStep: number};

/** The median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Cuts a stream of epoch (or chunk) ends into windows of at least `windowMs`.
 * Call {@link start} once when the first timed step is about to run, then
 * {@link boundary} at every epoch end with the steps since the previous one;
 * it returns true once `count` windows are complete.
 */
export class WindowClock {
  readonly windows: Window[] = [];
  #windowStart = 0;
  #steps = 0;

  constructor(
    readonly count: number,
    readonly windowMs: number,
  ) {}

  start(now = performance.now()): void {
    this.#windowStart = now;
    this.#steps = 0;
  }

  boundary(steps: number, now = performance.now()): boolean {
    this.#steps += steps;
    const ms = now - this.#windowStart;
    if (ms >= this.windowMs) {
      this.windows.push({ms, steps: this.#steps, msPerStep: ms / this.#steps});
      this.start(now);
    }
    return this.done;
  }

  get done(): boolean {
    return this.windows.length >= this.count;
  }
}

/**
 * Shuffled mini-batches over `samples` rows, as `fit` draws them: a new
 * permutation every epoch, batches of `batchSize` in order (the last one of
 * an epoch may be shorter, unless `samples` is a multiple of `batchSize`).
 * The order comes from `createRng(seed)`, so every run draws the same batches.
 */
export class BatchSampler {
  readonly #order: Int32Array;
  readonly #rng: Rng;
  #next = 0;

  constructor(
    readonly samples: number,
    readonly batchSize: number,
    seed = 1,
  ) {
    this.#order = new Int32Array(samples).map((_, i) => i);
    this.#rng = createRng(seed);
    this.#shuffle();
  }

  /** The row indices of the next batch (a view: copy it to keep it past the next call). */
  next(): Int32Array {
    if (this.#next >= this.samples) {
      this.#shuffle();
      this.#next = 0;
    }
    const start = this.#next;
    this.#next = Math.min(this.samples, start + this.batchSize);
    return this.#order.subarray(start, this.#next);
  }

  #shuffle(): void {
    this.#rng.shuffle(this.#order);
  }
}
