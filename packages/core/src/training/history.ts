/**
 * `History`: what `fit` returns.
 * @module
 */

/** Per-epoch logs of a fit, as Keras' `History`. */
export class History {
  /** The epoch numbers that ran (counted from 0). */
  readonly epoch: number[] = [];
  /** Each log key (`loss`, `accuracy`, `val_loss`...) to its value per epoch. */
  readonly history: Record<string, number[]> = {};
  /** Seconds each epoch took (training and validation). */
  readonly epochSeconds: number[] = [];
  /** Why training stopped early, when a callback called `stop()`. */
  stopReason: string | null = null;
  /**
   * Where the training loss first became NaN or infinite (the epoch, and the
   * batch within it, from 0), or null. Training goes on after it, as in
   * Keras; the progress output says so once. To stop there, add a callback
   * that calls `context.stop()` when `(await context.readLogs(['loss'])).loss`
   * is not finite.
   */
  firstNonFinite: {readonly epoch: number; readonly batch: number} | null = null;

  /** Appends one epoch's logs. */
  record(epoch: number, logs: Readonly<Record<string, number>>, seconds: number): void {
    this.epoch.push(epoch);
    this.epochSeconds.push(seconds);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }

  /**
   * Sets `key` of the last recorded epoch (a callback's `setLog`); a key new
   * to this fit gets NaN for the epochs before, so every array stays one
   * value per epoch.
   */
  setLast(key: string, value: number): void {
    const epochs = this.epoch.length;
    if (epochs === 0) return;
    const values = (this.history[key] ??= []);
    while (values.length < epochs - 1) values.push(Number.NaN);
    if (values.length === epochs) values[epochs - 1] = value;
    else values.push(value);
  }

  /** The last value of a log key, or undefined. */
  last(key: string): number | undefined {
    const values = this.history[key];
    return values === undefined ? undefined : values[values.length - 1];
  }
}
