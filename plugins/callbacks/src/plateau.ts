/**
 * What `earlyStopping` and `reduceLROnPlateau` share (Keras'
 * `MonitorCallback`): the monitored value read at each epoch end with one
 * warning per fit when it is missing, the best value and the wait count,
 * and the fit start that resets them unless a `loadState` came just before.
 * @module
 */
import {isImprovement, type FitContext} from '@trellis/core';
import type {Print} from './output';

/** The watch over one monitored log key; the callbacks own its counters' meaning. */
export class Plateau {
  /** The best monitored value so far, or null before the first one. */
  best: number | null = null;
  /** Epochs counted toward `patience` (Keras' `wait`). */
  wait = 0;
  #warned = false;
  #resumed = false;

  /**
   * @param monitor - the log key watched.
   * @param maximize - whether larger values are better.
   * @param minDelta - the least change that counts as an improvement (≥ 0).
   * @param missing - the warning for a missing key, given the keys there are (comma-separated).
   * @param warn - where that warning goes.
   */
  constructor(
    readonly monitor: string,
    readonly maximize: boolean,
    readonly minDelta: number,
    readonly missing: (available: string) => string,
    readonly warn: Print,
  ) {}

  /**
   * At fit start: re-arms the missing-key warning and says whether the
   * callback starts afresh (true), or continues a loaded state (false, once
   * after {@link Plateau.resumed}). Starting afresh forgets the best value
   * and the wait count.
   */
  startFit(): boolean {
    this.#warned = false;
    if (this.#resumed) {
      this.#resumed = false;
      return false;
    }
    this.best = null;
    this.wait = 0;
    return true;
  }

  /** Marks the next fit start as the continuation of a loaded state. */
  resumed(): void {
    this.#resumed = true;
  }

  /** The monitored value of this epoch, or undefined (with one warning per fit) when the logs do not have it. */
  async read(context: FitContext): Promise<number | undefined> {
    const logs = await context.readLogs();
    const current = logs[this.monitor];
    if (current === undefined && !this.#warned) {
      this.#warned = true;
      this.warn(this.missing(Object.keys(logs).join(',')));
    }
    return current;
  }

  /** Whether `current` improves on the best by more than `minDelta` (in float32, as Keras); if so it becomes the best. */
  improves(current: number): boolean {
    if (!isImprovement(current, this.best, this.maximize, this.minDelta)) return false;
    this.best = current;
    return true;
  }
}
