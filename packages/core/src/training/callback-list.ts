/**
 * `CallbackList`: calls the hooks callbacks define, in order.
 * @module
 */
import {ConfigError, describe} from '../errors';
import type {Callback, FitContext} from '../spec/callback';

type HookName = 'onFitStart' | 'onEpochStart' | 'onBatchStart' | 'onBatchEnd' | 'onEpochEnd' | 'onFitEnd';

/** Every hook a callback may define (`onError` included). */
const HOOKS = [
  'onFitStart',
  'onEpochStart',
  'onBatchStart',
  'onBatchEnd',
  'onEpochEnd',
  'onFitEnd',
  'onError',
  'onStepInspect',
  'saveState',
  'loadState',
] as const;

/**
 * Dispatches fit events. Only callbacks that define a hook are called, so a
 * fit whose callbacks define no batch hooks does no per-batch work for them.
 * Usable outside `fit` in custom loops.
 */
export class CallbackList {
  readonly callbacks: readonly Callback[];
  readonly #byHook = new Map<HookName, Callback[]>();

  constructor(callbacks: readonly Callback[] = []) {
    if (!Array.isArray(callbacks)) {
      throw new ConfigError(`callbacks must be an array of callbacks; got ${describe(callbacks)}.`);
    }
    callbacks.forEach((cb, i) => {
      if (cb === null || typeof cb !== 'object') {
        throw new ConfigError(`callbacks[${i}] must be an object with hooks (onEpochEnd...); got ${describe(cb)}.`);
      }
      for (const hook of HOOKS) {
        const value = (cb as Record<string, unknown>)[hook];
        if (value !== undefined && typeof value !== 'function') {
          const name = typeof cb.name === 'string' ? ` ('${cb.name}')` : '';
          throw new ConfigError(`callbacks[${i}]${name}.${hook} must be a function; got ${describe(value)}.`);
        }
      }
      const every = (cb as {inspectEvery?: unknown}).inspectEvery;
      if (every !== undefined && (typeof every !== 'number' || !Number.isInteger(every) || every < 1)) {
        const name = typeof cb.name === 'string' ? ` ('${cb.name}')` : '';
        throw new ConfigError(
          `callbacks[${i}]${name}.inspectEvery must be an integer >= 1 (steps between inspections); got ${describe(every)}.`,
        );
      }
    });
    this.callbacks = callbacks
      .map((cb, i) => ({cb, i}))
      .sort((a, b) => (a.cb.order ?? 0) - (b.cb.order ?? 0) || a.i - b.i)
      .map(({cb}) => cb);
  }

  /** Whether any callback defines `hook`. */
  has(hook: HookName): boolean {
    return this.#with(hook).length > 0;
  }

  /**
   * The callbacks that inspect optimizer step `step` (counted from 0 in the
   * fit): those with `onStepInspect` whose `inspectEvery` (default 1)
   * divides `step`. Empty for most steps.
   */
  inspectors(step: number): Callback[] {
    return this.callbacks.filter((cb) => typeof cb.onStepInspect === 'function' && step % (cb.inspectEvery ?? 1) === 0);
  }

  /** Whether any callback inspects steps. */
  get inspects(): boolean {
    return this.callbacks.some((cb) => typeof cb.onStepInspect === 'function');
  }

  /** Calls `hook` on every callback that defines it, awaiting each in order. */
  async call(hook: HookName, context: FitContext): Promise<void> {
    for (const cb of this.#with(hook)) await cb[hook]!.call(cb, context);
  }

  /** Calls every `onError`; errors thrown by those hooks are ignored so the original error surfaces. */
  async error(context: FitContext, error: unknown): Promise<void> {
    for (const cb of this.callbacks) {
      if (typeof cb.onError !== 'function') continue;
      try {
        await cb.onError(context, error);
      } catch {
        // The fit's own error is the one to report.
      }
    }
  }

  #with(hook: HookName): Callback[] {
    let list = this.#byHook.get(hook);
    if (!list) {
      list = this.callbacks.filter((cb) => typeof cb[hook] === 'function');
      this.#byHook.set(hook, list);
    }
    return list;
  }
}
