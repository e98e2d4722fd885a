/**
 * Progress and time left of a fit, from the optimizer steps done and the
 * time spent training (pauses excluded).
 */

/** Milliseconds left at the average pace so far, or `null` before the first step. */
export function remainingMs(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || total <= 0) return null;
  return (Math.max(total - done, 0) * elapsedMs) / done;
}

/** `'4 s'`, `'1 min 05 s'`, `'1 h 02 min'`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
