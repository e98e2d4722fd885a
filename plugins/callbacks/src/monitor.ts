/**
 * Option and state checks the callbacks share; the monitored value's
 * direction and improvement rule come from core (`resolveMode`,
 * `isImprovement`, `checkMonitor`).
 * @module
 */
import {ConfigError, StateError, checkNumber, describe, resolveMode, type Json, type MonitorMode} from '@trellis/core';

/** A count option (`patience`, `cooldown`, `startFromEpoch`): an integer >= 0. */
export function checkCount(who: string, key: string, value: unknown, example: number): number {
  return checkNumber(who, key, value, {min: 0, integer: true, example});
}

/** Keras' `verbose` of a callback: 0 silent, 1 prints a line when the callback acts. */
export function checkVerbose(who: string, value: unknown): 0 | 1 {
  if (value !== 0 && value !== 1)
    throw new ConfigError(`${who}: verbose must be 0 (silent) or 1 (a line when it acts); got ${describe(value)}.`);
  return value;
}

/** The options of a callback that waits on a monitored log for some epochs (Keras' `MonitorCallback`). */
export type WatchOptions = {
  readonly patience?: number;
  readonly verbose?: 0 | 1;
  readonly mode?: MonitorMode;
};

/** `patience`, `verbose` and `mode` checked, with the direction `mode` gives the monitored log. */
export type WatchSettings = {
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly mode: MonitorMode;
  /** Whether larger values of the monitored log are better. */
  readonly maximize: boolean;
};

/**
 * Checks `patience` (default `defaultPatience`), then `verbose` (default
 * 0), then `mode` (default `'auto'`, placed from the name `monitor`).
 *
 * @throws ConfigError for a negative or fractional `patience`, a `verbose`
 *   other than 0 or 1, an unknown `mode` or a name `'auto'` cannot place.
 */
export function checkWatch(who: string, monitor: string, options: WatchOptions, defaultPatience: number): WatchSettings {
  const patience = checkCount(who, 'patience', options.patience ?? defaultPatience, 5);
  const verbose = checkVerbose(who, options.verbose ?? 0);
  const mode = options.mode ?? 'auto';
  return {patience, verbose, mode, maximize: resolveMode(who, monitor, mode)};
}

/** A function option, or undefined. */
export function checkFunction<F>(who: string, key: string, value: unknown, shape: string): F | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new ConfigError(`${who}: ${key} must be a function ${shape}; got ${describe(value)}.`);
  }
  return value as F | undefined;
}

/** A number as JSON: non-finite numbers as the strings `'NaN'`, `'Infinity'`, `'-Infinity'`. */
export function numberToJson(value: number | null): Json {
  if (value === null || Number.isFinite(value)) return value;
  return String(value);
}

/** The inverse of {@link numberToJson}. */
export function numberFromJson(who: string, key: string, value: unknown): number | null {
  if (value === null || (typeof value === 'number' && Number.isFinite(value))) return value;
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
  throw new StateError(`${who}.loadState: ${key} must be a number or null; got ${describe(value)}. Pass what saveState() returned.`);
}

/** The state object of `who`, checked to hold `keys` (each read by `read`). */
export function stateObject(who: string, state: unknown, keys: readonly string[]): Record<string, unknown> {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    throw new StateError(`${who}.loadState expects the object saveState() returned; got ${describe(state)}.`);
  }
  const missing = keys.filter((k) => !(k in state));
  if (missing.length > 0) {
    throw new StateError(
      `${who}.loadState: the state lacks ${missing.map((k) => `'${k}'`).join(', ')}; got keys ${Object.keys(state)
        .map((k) => `'${k}'`)
        .join(', ')}. Pass what saveState() of the same callback returned.`,
    );
  }
  return state as Record<string, unknown>;
}

/** A non-negative integer read from a state. */
export function stateCount(who: string, key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new StateError(`${who}.loadState: ${key} must be an integer >= 0; got ${describe(value)}. Pass what saveState() returned.`);
  }
  return value;
}

/** How {@link readState} reads an entry: `'count'` as {@link stateCount}, `'number'` as {@link numberFromJson}. */
export type StateKind = 'count' | 'number';

/**
 * The state of `who` read entry by entry: checked to be an object holding
 * every key of `kinds` (as {@link stateObject}), then each entry read as its
 * kind, in the order of `kinds` (the first bad entry in that order is the
 * one reported). Nothing is returned unless every entry is good.
 *
 * @throws StateError for a state that is not such an object or a bad entry.
 */
export function readState<const K extends Record<string, StateKind>>(
  who: string,
  state: unknown,
  kinds: K,
): {[P in keyof K]: K[P] extends 'count' ? number : number | null} {
  const keys = Object.keys(kinds);
  const s = stateObject(who, state, keys);
  return Object.fromEntries(
    keys.map((key) => [key, kinds[key] === 'count' ? stateCount(who, key, s[key]) : numberFromJson(who, key, s[key])]),
  ) as {[P in keyof K]: K[P] extends 'count' ? number : number | null};
}
