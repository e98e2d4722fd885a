/**
 * A pool of worker threads that runs trials (internal).
 * @module
 */
import {Worker, existsSync, fileURLToPath} from '#node-builtins';
import {ConfigError, StateError} from '@trellis/core';
import type {TrialJob, TrialOutcome} from '../tuner/run-trial';
import type {FromWorker, ToWorker, WorkerSetup} from './messages';

/** Runs trial jobs somewhere. */
export interface TrialRunner {
  /** Runs `job`, calling `onStart` when it starts (a worker may still be loading when it is queued); a throw of `onStart` rejects it. */
  run(job: TrialJob, onStart?: () => void): Promise<TrialOutcome>;
  close(): Promise<void>;
}

/**
 * The worker script, `dist/trial-worker.js`: beside the CJS bundle, one
 * folder up from this module in the ESM build, or in `dist/` from the
 * sources (tests).
 */
function workerUrl(): URL {
  const candidates = ['./trial-worker.js', '../trial-worker.js', '../../dist/trial-worker.js'].map((p) => new URL(p, import.meta.url));
  const found = candidates.find((url) => existsSync(fileURLToPath(url)));
  if (found === undefined) {
    throw new ConfigError(`The tuner's worker script (dist/trial-worker.js) is missing; build @trellis/tuner (pnpm build) first.`);
  }
  return found;
}

/**
 * The parent's Node options without export conditions (`--conditions`):
 * a worker resolves packages as plain Node does. (Trellis' own tests run
 * under conditions that point the workspace packages at their TypeScript
 * sources and at builds for bundlers, which a worker cannot run.)
 */
function workerExecArgv(): string[] {
  const out: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i]!;
    if (a === '--conditions' || a === '-C') i++;
    else if (!a.startsWith('--conditions=') && !a.startsWith('-C=')) out.push(a);
  }
  return out;
}

interface Slot {
  readonly worker: Worker;
  /** Whether the worker has loaded the hypermodel and its backend. */
  ready: boolean;
  busy: {resolve: (o: TrialOutcome) => void; reject: (e: unknown) => void} | null;
}

/**
 * Starts `size` workers with `setup`. Each takes trials as soon as it has
 * loaded the hypermodel and its backend, so the first trials start while the
 * slower workers still load. A worker that cannot start, or stops, breaks
 * the pool: every worker is terminated, and the trial running and those
 * waiting are rejected with the error (a `ConfigError` when a worker could
 * not start: the module's import or `setup` failed; a `StateError` when it
 * stopped later).
 */
export async function startPool(size: number, setup: WorkerSetup): Promise<TrialRunner> {
  const url = workerUrl();
  const slots: Slot[] = [];
  const queue: {job: TrialJob; onStart?: () => void; resolve: (o: TrialOutcome) => void; reject: (e: unknown) => void}[] = [];
  let broken: Error | null = null;

  const dispatch = () => {
    for (const slot of slots) {
      if (!slot.ready || slot.busy !== null || queue.length === 0) continue;
      const next = queue.shift()!;
      try {
        next.onStart?.();
      } catch (error) {
        next.reject(error);
        continue;
      }
      slot.busy = {resolve: next.resolve, reject: next.reject};
      slot.worker.postMessage({type: 'run', job: next.job} satisfies ToWorker);
    }
  };
  const breakPool = (error: Error) => {
    if (broken !== null) return;
    broken = error;
    for (const slot of slots) {
      slot.busy?.reject(error);
      slot.busy = null;
      void slot.worker.terminate();
    }
    for (const q of queue.splice(0)) q.reject(error);
  };

  for (let i = 0; i < size; i++) {
    const worker = new Worker(url, {workerData: setup, execArgv: workerExecArgv()});
    const slot: Slot = {worker, ready: false, busy: null};
    slots.push(slot);
    const failed = (what: string, cause?: unknown) =>
      breakPool(
        slot.ready
          ? new StateError(`A tuner worker thread stopped: ${what}.`, {cause})
          : new ConfigError(`A tuner worker could not start: ${what}`, {cause}),
      );
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') {
        slot.ready = true;
        dispatch();
      } else if (m.type === 'failed') {
        failed(m.message);
      } else if (m.type === 'done' && slot.busy !== null) {
        const {resolve} = slot.busy;
        slot.busy = null;
        resolve(m.outcome);
        dispatch();
      }
    });
    worker.on('error', (error) => failed((error as Error)?.message ?? String(error), error));
    worker.on('exit', (code) => {
      if (broken === null) failed(`exit code ${code}`);
    });
  }

  return {
    run(job, onStart) {
      if (broken) return Promise.reject(broken);
      return new Promise<TrialOutcome>((resolve, reject) => {
        queue.push({job, onStart, resolve, reject});
        dispatch();
      });
    },
    async close() {
      broken ??= new StateError('The tuner worker pool is closed.');
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
