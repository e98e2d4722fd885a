/**
 * tfjs' `yieldEvery`: how often `fit` lets the event loop run.
 * @module
 */
import {ConfigError, describe} from '../errors';
import type {Callback} from '../spec/callback';

/**
 * `'auto'` (default): every {@link AUTO_YIELD_MS} ms of wall time, as tfjs;
 * `'batch'` / `'epoch'`: after every batch / epoch; `'never'`; or a number:
 * every that many ms.
 */
export type YieldEvery = 'auto' | 'batch' | 'epoch' | 'never' | number;

/** The budget of `yieldEvery: 'auto'`, tfjs-layers' `DEFAULT_YIELD_EVERY_MS`. */
export const AUTO_YIELD_MS = 125;

/** Checks `fit`'s `yieldEvery` option. @internal */
export function checkYieldEvery(value: unknown): YieldEvery {
  if (value === 'auto' || value === 'batch' || value === 'epoch' || value === 'never') return value;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw new ConfigError(`yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds >= 0; got ${describe(value)}.`);
}

/**
 * One macrotask: `setImmediate` where it exists (Node), else `setTimeout(0)`.
 * Unlike `requestAnimationFrame` (tfjs' `nextFrame`), it keeps running in a
 * hidden browser tab. Reads nothing back from the device.
 */
export function nextMacrotask(): Promise<void> {
  const immediate = (globalThis as {setImmediate?: (fn: () => void) => unknown}).setImmediate;
  return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}

/**
 * The callback `fit` adds to yield to the event loop (timers, I/O, a page's
 * rendering and input) while it trains, or null for `'never'`. A yield costs
 * one macrotask (well under a millisecond in Node, about 4 ms in a browser
 * under timer clamping), so `'auto'` spends under 4% of the time yielding
 * at worst. @internal
 */
export function yieldCallback(yieldEvery: YieldEvery): Callback | null {
  if (yieldEvery === 'never') return null;
  if (yieldEvery === 'batch') return {name: 'yieldEvery', onBatchEnd: nextMacrotask};
  if (yieldEvery === 'epoch') return {name: 'yieldEvery', onEpochEnd: nextMacrotask};
  const budget = yieldEvery === 'auto' ? AUTO_YIELD_MS : yieldEvery;
  let last = performance.now();
  const maybeYield = async (): Promise<void> => {
    if (performance.now() - last < budget) return;
    await nextMacrotask();
    last = performance.now();
  };
  return {
    name: 'yieldEvery',
    onFitStart: () => {
      last = performance.now();
    },
    onBatchEnd: maybeYield,
    onEpochEnd: maybeYield,
  };
}
