/**
 * Where a search keeps its trials: `directory/projectName` on disk (every
 * write atomic: a temporary file renamed over the old one), or memory when
 * no directory is given (internal).
 * @module
 */
import {join, mkdir, readFile, readdir, rm} from '#node-builtins';
import {FormatError, StateError, writeFileAtomic, type Json} from '@trellis/core';
import type {Trial} from '../trial';
import {decodeWeights, encodeWeights, type SavedWeights} from './weights';

/** What identifies a search in `oracle.json`: a resumed search must match it. */
export interface SearchIdentity {
  readonly oracle: string;
  readonly config: Json;
  readonly objective: {readonly name: string; readonly direction: string};
  readonly executionsPerTrial: number;
  readonly seed: number;
}

/** Trials and their best weights. */
export interface TrialStore {
  /** The project folder, or null in memory. */
  readonly location: string | null;
  /** The trials found when the store was opened (a resumed search), by id. */
  readonly found: ReadonlyMap<string, Trial>;
  /** The seed of the search the store holds, if it holds one. */
  readonly seed: number | null;
  start(identity: SearchIdentity): Promise<void>;
  saveTrial(trial: Trial): Promise<void>;
  saveWeights(trialId: string, weights: SavedWeights): Promise<void>;
  loadWeights(trialId: string): Promise<SavedWeights | null>;
}

/** A store in memory (no directory: nothing survives the process). */
export function memoryStore(): TrialStore {
  const weights = new Map<string, SavedWeights>();
  return {
    location: null,
    found: new Map(),
    seed: null,
    async start() {},
    async saveTrial() {},
    async saveWeights(trialId, saved) {
      weights.set(trialId, saved);
    },
    async loadWeights(trialId) {
      return weights.get(trialId) ?? null;
    },
  };
}

/**
 * Writes `data` to `path` with core's `writeFileAtomic` (a temporary file in
 * the same folder, flushed to disk and renamed over `path`), so a reader sees
 * the old file or the whole new one.
 */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await writeFileAtomic(path, data, {
    unavailable: "The tuner keeps its trials in a folder (directory/projectName), which needs Node's file system; run the search in Node.",
  });
}

const trialFolder = (location: string, trialId: string) => join(location, `trial_${trialId}`);

function checkTrial(value: unknown, where: string): Trial {
  const t = value as Partial<Trial> | null;
  const ok =
    t !== null &&
    typeof t === 'object' &&
    typeof t.trialId === 'string' &&
    (t.status === 'RUNNING' || t.status === 'COMPLETED' || t.status === 'FAILED') &&
    typeof t.hyperparameters === 'object' &&
    t.hyperparameters !== null &&
    typeof t.seed === 'number' &&
    Array.isArray(t.history);
  if (!ok) throw new FormatError(`${where} is not a trial file; delete it, or search again with overwrite: true.`);
  return t as Trial;
}

/**
 * Opens `directory/projectName`: with `overwrite`, deletes what is there;
 * otherwise reads the trials a previous search left (a search killed
 * mid-trial left it `'RUNNING'`).
 * @throws FormatError for an unreadable trial or oracle file.
 */
export async function directoryStore(directory: string, projectName: string, overwrite: boolean): Promise<TrialStore> {
  const location = join(directory, projectName);
  if (overwrite) await rm(location, {recursive: true, force: true});
  await mkdir(location, {recursive: true});
  const oracleFile = join(location, 'oracle.json');
  let stored: SearchIdentity | null = null;
  try {
    stored = JSON.parse(await readFile(oracleFile, 'utf8')) as SearchIdentity;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new FormatError(
        `${oracleFile} is not readable JSON (${(error as Error).message}); delete the project, or pass overwrite: true.`,
      );
    }
  }
  const found = new Map<string, Trial>();
  if (stored !== null) {
    for (const entry of await readdir(location, {withFileTypes: true})) {
      if (!entry.isDirectory() || !entry.name.startsWith('trial_')) continue;
      const file = join(location, entry.name, 'trial.json');
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        continue; // A trial folder whose first write did not finish.
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new FormatError(`${file} is not JSON; delete it, or search again with overwrite: true.`);
      }
      const trial = checkTrial(parsed, file);
      found.set(trial.trialId, trial);
    }
  }
  return {
    location,
    found,
    seed: stored?.seed ?? null,
    async start(identity) {
      if (stored !== null) {
        const mismatch = (['oracle', 'config', 'objective', 'executionsPerTrial', 'seed'] as const).find(
          (k) => JSON.stringify(stored![k]) !== JSON.stringify(identity[k]),
        );
        if (mismatch) {
          throw new StateError(
            `The project ${location} holds another search (its ${mismatch} is ${JSON.stringify(stored[mismatch])}, this search's is ` +
              `${JSON.stringify(identity[mismatch])}). Pass overwrite: true to start over, or use another projectName.`,
          );
        }
        return;
      }
      await writeAtomic(oracleFile, `${JSON.stringify(identity, null, 2)}\n`);
    },
    async saveTrial(trial) {
      await mkdir(trialFolder(location, trial.trialId), {recursive: true});
      await writeAtomic(join(trialFolder(location, trial.trialId), 'trial.json'), `${JSON.stringify(trial, null, 2)}\n`);
    },
    async saveWeights(trialId, saved) {
      await mkdir(trialFolder(location, trialId), {recursive: true});
      await writeAtomic(join(trialFolder(location, trialId), 'checkpoint.weights'), encodeWeights(saved));
    },
    async loadWeights(trialId) {
      const file = join(trialFolder(location, trialId), 'checkpoint.weights');
      let bytes: Uint8Array;
      try {
        bytes = await readFile(file);
      } catch {
        return null;
      }
      return decodeWeights(bytes, file);
    },
  };
}
