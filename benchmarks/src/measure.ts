/**
 * Timing helpers shared by the workers: windows, medians, batch sampling.
 * @module
 */

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
 * A small seeded generator (mulberry32) for the loops' batch order, so every
 * run draws the same batches.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Shuffled mini-batches over `samples` rows, as `fit` draws them: a new
 * permutation every epoch, batches of `batchSize` in order (the last one of
 * an epoch may be shorter, unless `samples` is a multiple of `batchSize`).
 */
export class BatchSampler {
  readonly #order: Int32Array;
  readonly #random: () => number;
  #next = 0;

  constructor(
    readonly samples: number,
    readonly batchSize: number,
    seed = 1,
  ) {
    this.#order = new Int32Array(samples).map((_, i) => i);
    this.#random = seededRandom(seed);
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
    const order = this.#order;
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(this.#random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
  }
}
