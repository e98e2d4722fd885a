/**
 * At most one redraw every N milliseconds, the last request never lost.
 * @module
 */

/** A throttled draw: see {@link throttle}. */
export type Throttle = {
  /** Asks for a draw: now if the last one is at least `every` ms old, else once that time is up. */
  request(): void;
  /** Draws now if a request is pending (and cancels its timer). */
  flush(): void;
  /** Drops a pending request and its timer. */
  cancel(): void;
};

/**
 * Throttles `draw` to at most one call every `every` ms (leading and
 * trailing edge): a request after a quiet spell draws synchronously, requests
 * within `every` ms of the last draw are merged into one draw when the time
 * is up (one timer). Time is `performance.now()`.
 */
export function throttle(draw: () => void, every: number): Throttle {
  let last = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false;
  const stopTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const run = () => {
    stopTimer();
    if (!pending) return;
    pending = false;
    last = performance.now();
    draw();
  };
  return {
    request() {
      pending = true;
      if (timer !== undefined) return;
      const wait = last + every - performance.now();
      if (wait <= 0) run();
      else timer = setTimeout(run, wait);
    },
    flush: run,
    cancel() {
      stopTimer();
      pending = false;
    },
  };
}
