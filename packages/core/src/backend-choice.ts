/**
 * Choosing the fastest backend that works here: `useBackend('auto')`.
 *
 * Core imports no backend package: the candidates (how to load each plugin,
 * and how each tells it cannot work here) come from the caller, usually the
 * `trellis` package's `backendCandidates()`.
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import {activateBackend} from './backend-activate';
import {BackendError, ConfigError, describe} from './errors';
import {checkOptions} from './options-check';
import type {BackendPlugin} from './spec/backend';

/** One backend `useBackend('auto')` may choose, in order of preference. */
export interface BackendCandidate {
  /** Its name in reports: `'node-gpu'`, `'webgpu'`, `'node'`, `'wasm'`, `'cpu'`. */
  readonly name: string;
  /**
   * The plugin to try, or a string saying why this backend cannot work here
   * without trying it (`'software adapter (llvmpipe…)'`). Loads the plugin's
   * package (a dynamic import of an optional dependency) and checks what it
   * can cheaply; a rejection is a reason to skip too (a package that is not
   * installed, a broken native addon).
   */
  plugin(): Promise<BackendPlugin | string>;
  /** After the plugin registered and computed: one line about what it runs on (package versions, device), for the report. */
  describe?(plugin: BackendPlugin): string | undefined;
}

/** A candidate that was passed over, and why. */
export type SkippedBackend = {
  readonly name: string;
  /** The first sentence of what went wrong (`@tensorflow/tfjs-node-gpu is not installed (…)`, `software adapter (…)`). */
  readonly reason: string;
  /** The error that made it skip, when there was one (its message has the full advice). */
  readonly error?: unknown;
};

/** What {@link chooseBackend} chose, and why it passed the others over. */
export type BackendChoice = {
  /** The chosen candidate's name (`'node'`). */
  readonly chosen: string;
  /** The tfjs backend now active (`'tensorflow'`). */
  readonly backend: string;
  /** What the chosen backend runs on, when its candidate says (`@tensorflow/tfjs-node 4.22.0, libtensorflow 2.9.1`). */
  readonly detail?: string;
  /** The candidates before it that cannot work here, in order, each with its reason. */
  readonly skipped: readonly SkippedBackend[];
  /** The same as readable lines. */
  readonly text: string;
};

/** Options of {@link chooseBackend}. */
export type ChooseBackendOptions = {
  /**
   * Where the choice is reported, as one text of a few lines; `false` for
   * nowhere. Default `console.info`.
   */
  readonly print?: ((text: string) => void) | false;
};

/**
 * Tries `candidates` in order and makes the first that works the active
 * tfjs backend: its plugin loads, registers, can train
 * (`capabilities.training`), initializes, and computes `[1, 2] + 1`
 * correctly (read back asynchronously, as every backend can). Every
 * candidate before it is reported with the reason it was skipped.
 *
 * @param candidates - in order of preference (the `trellis` package's
 *   `backendCandidates()`: node-gpu, webgpu, node, wasm, cpu).
 * @param options - see {@link ChooseBackendOptions}.
 * @returns the choice; its `text` is what was printed.
 * @throws {ConfigError} for candidates that are not `{name, plugin()}` objects or unknown options.
 * @throws {BackendError} when no candidate works, listing every reason.
 */
export async function chooseBackend(candidates: readonly BackendCandidate[], options: ChooseBackendOptions = {}): Promise<BackendChoice> {
  checkOptions('chooseBackend', options, ['print']);
  const print = options.print === undefined ? (text: string) => console.info(text) : options.print;
  if (print !== false && typeof print !== 'function') {
    throw new ConfigError(`chooseBackend({print}) expects a function or false; got ${describe(print)}.`);
  }
  checkCandidates(candidates);
  const skipped: SkippedBackend[] = [];
  for (const candidate of candidates) {
    let plugin: BackendPlugin | string;
    try {
      plugin = await candidate.plugin();
    } catch (error) {
      skipped.push({name: candidate.name, reason: reasonOf(error), error});
      continue;
    }
    if (typeof plugin === 'string') {
      skipped.push({name: candidate.name, reason: plugin});
      continue;
    }
    try {
      if (plugin?.capabilities?.training === false) throw new BackendError('it cannot train (capabilities.training is false).');
      const backend = await activateBackend(plugin);
      await checkComputes(backend);
      const detail = candidate.describe?.(plugin);
      const choice = {chosen: candidate.name, backend, ...(detail ? {detail} : {}), skipped};
      const result: BackendChoice = {...choice, text: formatChoice(choice)};
      if (print) print(result.text);
      return result;
    } catch (error) {
      skipped.push({name: candidate.name, reason: reasonOf(error), error});
    }
  }
  throw new BackendError(
    candidates.length === 0
      ? "useBackend('auto') was given no candidates to choose from."
      : `No backend works here. ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}.`,
  );
}

/** The choice as text: the chosen backend, then one line per skipped one. */
function formatChoice(choice: Omit<BackendChoice, 'text'>): string {
  const head = `Backend: ${choice.chosen} (tfjs '${choice.backend}'${choice.detail ? `, ${choice.detail}` : ''})`;
  return [head, ...choice.skipped.map((s) => `  skipped ${s.name}: ${s.reason}`)].join('\n');
}

function checkCandidates(candidates: unknown): asserts candidates is readonly BackendCandidate[] {
  if (!Array.isArray(candidates)) {
    throw new ConfigError(`The backend candidates must be an array of {name, plugin()}; got ${describe(candidates)}.`);
  }
  candidates.forEach((c: unknown, i) => {
    const ok =
      c !== null &&
      typeof c === 'object' &&
      typeof (c as BackendCandidate).name === 'string' &&
      typeof (c as BackendCandidate).plugin === 'function';
    if (!ok)
      throw new ConfigError(
        `Backend candidate ${i} must be {name: string, plugin(): Promise<BackendPlugin | string>}; got ${describe(c)}.`,
      );
  });
}

/** A tiny computation read back asynchronously: a backend that registers but cannot compute is skipped. */
async function checkComputes(backend: string): Promise<void> {
  const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.scalar(1)));
  let values: Float32Array;
  try {
    values = (await sum.data()) as Float32Array;
  } finally {
    sum.dispose();
  }
  if (values[0] !== 2 || values[1] !== 3) {
    throw new BackendError(`the '${backend}' backend computed [1, 2] + 1 as [${Array.from(values).join(', ')}].`);
  }
}

/** The first sentence of an error's message, without its final period. */
function reasonOf(error: unknown): string {
  const message = String((error as Error)?.message ?? error).trim();
  const line = message.split('\n')[0] ?? message;
  const end = line.search(/\.\s/);
  return (end === -1 ? line : line.slice(0, end)).replace(/[.\s]+$/, '') || 'failed';
}
