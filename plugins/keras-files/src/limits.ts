/**
 * Size limits applied while reading.
 * @module
 */
import {ConfigError} from '@trellis/core';

/**
 * Limits checked before anything is inflated or read. Every limit is on *declared* sizes, so a
 * file that declares more than it may is refused before memory is allocated for it.
 */
export interface KerasFileLimits {
  /** Most entries a `.keras` zip may have. Default 1,000. */
  readonly maxEntries?: number;
  /** Most bytes one zip entry may declare uncompressed. Default 1 GiB. */
  readonly maxEntryBytes?: number;
  /** Most bytes all zip entries together may declare uncompressed. Default 1.5 GiB. */
  readonly maxTotalBytes?: number;
  /** Most bytes of a JSON part (`config.json`, `metadata.json`, the `model_config` attribute). Default 64 MiB. */
  readonly maxJsonBytes?: number;
  /** Most bytes one HDF5 dataset may declare (shape × element size). Default 1 GiB. */
  readonly maxDatasetBytes?: number;
  /** Most bytes all HDF5 datasets together may declare. Default 1.5 GiB. */
  readonly maxTotalDatasetBytes?: number;
  /** Most groups and datasets an HDF5 file may hold. Default 100,000. */
  readonly maxObjects?: number;
  /** Deepest group nesting of an HDF5 file. Default 64. */
  readonly maxDepth?: number;
  /** Most bytes a string attribute may hold. Default 64 MiB. */
  readonly maxAttributeBytes?: number;
}

/** {@link KerasFileLimits} with every value present. */
export type ResolvedLimits = Required<KerasFileLimits>;

const MIB = 1024 * 1024;

/** The default limits. */
export const DEFAULT_LIMITS: ResolvedLimits = Object.freeze({
  maxEntries: 1000,
  maxEntryBytes: 1024 * MIB,
  maxTotalBytes: 1536 * MIB,
  maxJsonBytes: 64 * MIB,
  maxDatasetBytes: 1024 * MIB,
  maxTotalDatasetBytes: 1536 * MIB,
  maxObjects: 100_000,
  maxDepth: 64,
  maxAttributeBytes: 64 * MIB,
});

/** Fills in defaults; refuses unknown keys and values that are not positive integers. */
export function resolveLimits(limits: KerasFileLimits | undefined): ResolvedLimits {
  if (limits === undefined) return DEFAULT_LIMITS;
  if (typeof limits !== 'object' || limits === null) {
    throw new ConfigError(`limits must be an object, got ${String(limits)}.`);
  }
  const out: Record<string, number> = {...DEFAULT_LIMITS};
  for (const [key, value] of Object.entries(limits)) {
    if (!(key in DEFAULT_LIMITS)) {
      throw new ConfigError(`Unknown limit '${key}'; known: ${Object.keys(DEFAULT_LIMITS).join(', ')}.`);
    }
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      throw new ConfigError(`Limit ${key} must be a positive integer, got ${String(value)}.`);
    }
    out[key] = value;
  }
  return out as ResolvedLimits;
}
