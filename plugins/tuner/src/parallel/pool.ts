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
  run(job: TrialJob): Promise<TrialOutcome>;
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
  busy: {resolve: (o: TrialOutcome) => void; reject: (e: unknown) => void} | null;
}

/**
 * Starts `size` workers with `setup` and resolves once each has loaded the
 * hypermodel and its backend.
 * @throws ConfigError when a worker cannot start (the module's import or `setup` failed).
 */
export async function startPool(size: number, setup: WorkerSetup): Promise<TrialRunner & {readonly backends: readonly string[]}> {
  const url = workerUrl();
  const slots: Slot[] = [];
  const queue: {job: TrialJob; resolve: (o: TrialOutcome) => void; reject: (e: unknown) => void}[] = [];
  let broken: Error | null = null;

  const dispatch = () => {
    for (const slot of slots) {
      if (slot.busy !== null || queue.length === 0) continue;
      const next = queue.shift()!;
      slot.busy = {resolve: next.resolve, reject: next.reject};
      slot.worker.postMessage({type: 'run', job: next.job} satisfies ToWorker);
    }
  };

  const backends = await Promise.all(
    Array.from({length: size}, async () => {
      const worker = new Worker(url, {workerData: setup, execArgv: workerExecArgv()});
      const slot: Slot = {worker, busy: null};
      slots.push(slot);
      const backend = await new Promise<string>((resolve, reject) => {
        worker.once('message', (m: FromWorker) => {
          if (m.type === 'ready') resolve(m.backend);
          else reject(new ConfigError(`A tuner worker could not start: ${m.type === 'failed' ? m.message : m.type}`));
        });
        worker.once('error', reject);
      });
      worker.on('message', (m: FromWorker) => {
        if (m.type !== 'done' || slot.busy === null) return;
        const {resolve} = slot.busy;
        slot.busy = null;
        resolve(m.outcome);
        dispatch();
      });
      const fail = (error: unknown) => {
        broken ??= new StateError(`A tuner worker thread stopped: ${(error as Error)?.message ?? String(error)}.`, {cause: error});
        slot.busy?.reject(broken);
        slot.busy = null;
        for (const q of queue.splice(0)) q.reject(broken);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (code !== 0 || slot.busy !== null) fail(new Error(`exit code ${code}`));
      });
      return backend;
    }),
  ).catch(async (error) => {
    await Promise.all(slots.map((s) => s.worker.terminate()));
    throw error;
  });

  return {
    backends,
    run(job) {
      if (broken) return Promise.reject(broken);
      return new Promise<TrialOutcome>((resolve, reject) => {
        queue.push({job, resolve, reject});
        dispatch();
      });
    },
    async close() {
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
