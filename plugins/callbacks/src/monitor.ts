/**
 * Option and state checks the callbacks share; the monitored value's
 * direction and improvement rule come from core (`resolveMode`,
 * `isImprovement`, `checkMonitor`).
 * @module
 */
import {ConfigError, StateError, checkNumber, describe, type Json} from '@trellis/core';

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
