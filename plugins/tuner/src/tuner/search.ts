/**
 * The search loop: asks the oracle for trials in order, runs them (on this
 * thread or in workers), records each result, and on a resumed project
 * takes finished trials from disk instead of running them (internal).
 * @module
 */
import {join, readFile} from '#node-builtins';
import {ConfigError, StateError, createRng, getSeed, type Callback, type FitOptions} from '@trellis/core';
import type {Objective} from '../objective';
import type {OracleDefinition} from '../oracles/oracle';
import {loadHypermodel} from '../parallel/hypermodel-module';
import {startPool, type TrialRunner} from '../parallel/pool';
import {callbackSpecs, toWire} from '../parallel/wire';
import {discoverSpace} from '../space/discover';
import {sameConditions, type HpValue, type HyperParameter} from '../space/hyperparameter';
import {HyperParameters} from '../space/hyperparameters';
import {trialIdOf, type Trial} from '../trial';
import {runCustomTrial} from './custom-trial';
import {logTrial} from './hparams-log';
import {looksLikeModel, type TunerSettings} from './options';
import {runTrialJob, type BuildModel, type TrialJob, type TrialOutcome} from './run-trial';
import {directoryStore, memoryStore, writeAtomic, type TrialStore} from './store';
import {formatValue} from './summary';

/** What {@link runSearch} needs. */
export interface SearchRequest {
  readonly settings: TunerSettings;
  readonly oracle: OracleDefinition;
  readonly objective: Objective;
  readonly x: unknown;
  readonly y: unknown;
  readonly fitOptions: FitOptions;
  /** Called after every change, so the tuner reports trials even when the search throws. */
  readonly onProgress: (trials: Trial[], space: HyperParameter[], store: TrialStore) => void;
}

/** The seed of trial `index` of a search seeded `seed`. */
export function trialSeed(seed: number, index: number): number {
  return createRng((seed + Math.imul(index + 1, 0x9e3779b9)) >>> 0).nextSeed();
}

/** `space` with the hyperparameters of `more` it lacks appended. */
function mergeSpace(space: HyperParameter[], more: readonly HyperParameter[]): boolean {
  let grew = false;
  for (const hp of more) {
    if (!space.some((h) => h.name === hp.name && sameConditions(h.conditions, hp.conditions))) {
      space.push(hp);
      grew = true;
    }
  }
  return grew;
}

async function readSavedSpace(store: TrialStore): Promise<HyperParameter[]> {
  if (store.location === null) return [];
  try {
    return JSON.parse(await readFile(join(store.location, 'space.json'), 'utf8')) as HyperParameter[];
  } catch {
    return [];
  }
}

/** Runs the search; see `Tuner.search`. */
export async function runSearch(request: SearchRequest): Promise<{trials: Trial[]; space: HyperParameter[]; store: TrialStore}> {
  const {settings, oracle, objective} = request;
  const {callbacks = [], ...fitOptions} = request.fitOptions ?? {};
  const store =
    settings.directory === null ? memoryStore() : await directoryStore(settings.directory, settings.projectName, settings.overwrite);
  const seed = settings.seed ?? store.seed ?? getSeed() ?? Math.floor(Math.random() * 2 ** 32);
  await store.start({
    oracle: oracle.name,
    config: oracle.config,
    objective,
    executionsPerTrial: settings.executionsPerTrial,
    seed,
  });

  const build: BuildModel | null =
    settings.buildModel ?? (settings.hypermodel ? (await loadHypermodel(settings.hypermodel)).buildModel : null);
  // Worker threads load Trellis and their backend while this thread discovers the space; each takes
  // trials once loaded (one that cannot start fails the trials with a ConfigError). When the discovery
  // fails instead, the workers are stopped and its error is thrown.
  const starting = startRunner(request, build, fitOptions, callbacks);
  starting.catch(() => {});
  const declared = new HyperParameters();
  const space: HyperParameter[] = [];
  const saveSpace = async () => {
    if (store.location !== null) await writeAtomic(join(store.location, 'space.json'), `${JSON.stringify(space, null, 2)}\n`);
  };
  let oracleState: ReturnType<OracleDefinition['create']>;
  try {
    settings.hyperparameters?.(declared);
    space.push(...declared.space);
    mergeSpace(space, await readSavedSpace(store));
    if (build) {
      mergeSpace(
        space,
        await discoverSpace(space, build, (built) => {
          if (looksLikeModel(built)) built.dispose();
        }),
      );
    }
    await saveSpace();
    oracleState = oracle.create(seed);
  } catch (error) {
    await (await starting.catch(() => null))?.close();
    throw error;
  }

  const trials: Trial[] = [];
  const report = () => request.onProgress(trials, space, store);
  const runner = await starting;
  const running = new Map<number, Promise<{index: number; outcome: TrialOutcome}>>();
  const started = new Map<number, number>();
  let stopped = false;
  try {
    for (;;) {
      while (!stopped && running.size < settings.parallelism) {
        if (oracle.maxTrials !== null && trials.length >= oracle.maxTrials) {
          stopped = true;
          break;
        }
        const index = trials.length;
        const decision = oracleState.next({index, trials, space, objective});
        if (decision.status === 'stop') stopped = true;
        if (decision.status !== 'run') break;
        const trial: Trial = {
          trialId: trialIdOf(index),
          hyperparameters: {...decision.values},
          status: 'RUNNING',
          score: null,
          bestStep: null,
          metrics: {},
          history: [],
          message: null,
          seed: trialSeed(seed, index),
        };
        const stored = store.found.get(trial.trialId);
        if (stored !== undefined && stored.status !== 'RUNNING') {
          const differs = Object.entries(trial.hyperparameters).find(([k, v]) => stored.hyperparameters[k] !== v);
          if (differs || stored.seed !== trial.seed) {
            throw new StateError(
              `Trial ${trial.trialId} in ${store.location} was run with other hyperparameters than this search gives it ` +
                `(${differs ? `${differs[0]}: ${JSON.stringify(stored.hyperparameters[differs[0]])} there, ${JSON.stringify(differs[1])} now` : 'another seed'}): ` +
                'buildModel, the space or the data changed. Pass overwrite: true to start over, or use another projectName.',
            );
          }
          trials.push(stored);
          report();
          continue;
        }
        trials.push(trial);
        await store.saveTrial(trial);
        report();
        const job = await jobOf(trial);
        const onStart = () => {
          settings.onTrialStart?.(trial);
          started.set(index, performance.now());
        };
        running.set(
          index,
          runner.run(job, onStart).then((outcome) => ({index, outcome})),
        );
      }
      if (running.size === 0) {
        if (stopped) break;
        throw new StateError(`The ${oracle.name} oracle is waiting for a result, but no trial is running.`);
      }
      const {index, outcome} = await Promise.race(running.values());
      running.delete(index);
      await finish(index, outcome);
    }
  } finally {
    await runner.close();
  }
  report();
  return {trials, space, store};

  async function jobOf(trial: Trial): Promise<TrialJob> {
    const values = trial.hyperparameters;
    const parentId = values['tuner/trial_id'];
    // A custom runTrial makes no weights; it continues however it likes.
    const continues = typeof parentId === 'string' && settings.runTrial === null;
    const parentWeights = continues ? await store.loadWeights(parentId) : null;
    if (continues && parentWeights === null) {
      throw new StateError(
        `Trial ${trial.trialId} continues trial ${parentId}, whose weights are missing from ${store.location ?? 'memory'}.`,
      );
    }
    const number = (v: HpValue | undefined) => (typeof v === 'number' ? v : null);
    return {
      trialId: trial.trialId,
      seed: trial.seed,
      hyperparameters: {space, values},
      executions: settings.executionsPerTrial,
      epochs: number(values['tuner/epochs']),
      initialEpoch: number(values['tuner/initial_epoch']),
      parentWeights,
    };
  }

  async function finish(index: number, outcome: TrialOutcome): Promise<void> {
    if (outcome.fatal !== null) throw new ConfigError(outcome.fatal);
    if (mergeSpace(space, outcome.hyperparameters.space)) await saveSpace();
    const trial: Trial = {
      ...trials[index]!,
      hyperparameters: {...trials[index]!.hyperparameters, ...outcome.hyperparameters.values},
      status: outcome.status,
      score: outcome.score,
      bestStep: outcome.bestStep,
      metrics: outcome.metrics,
      history: outcome.history,
      message: outcome.message,
    };
    if (outcome.weights) await store.saveWeights(trial.trialId, outcome.weights);
    trials[index] = trial;
    await store.saveTrial(trial);
    report();
    if (settings.logDir !== null) await logTrial(settings.logDir, trial);
    if (settings.verbose === 1) {
      const seconds = ((performance.now() - (started.get(index) ?? 0)) / 1000).toFixed(1);
      const best = trials.filter((t) => t.status === 'COMPLETED').map((t) => t.score!);
      const bestSoFar = best.length ? (objective.direction === 'max' ? Math.max(...best) : Math.min(...best)) : null;
      const values = Object.entries(trial.hyperparameters)
        .filter(([k]) => !k.startsWith('tuner/'))
        .map(([k, v]) => `${k} ${formatValue(v)}`)
        .join(', ');
      settings.print(
        trial.status === 'COMPLETED'
          ? `Trial ${trial.trialId} complete [${seconds} s] ${values}: ${objective.name} ${formatValue(trial.score)} (best so far ${formatValue(bestSoFar)})`
          : `Trial ${trial.trialId} failed [${seconds} s] ${values}: ${trial.message}`,
      );
    }
    settings.onTrialEnd?.(trial);
    checkFailures();
  }

  function checkFailures(): void {
    let run: Trial[] = [];
    for (const t of trials) {
      run = t.status === 'FAILED' ? [...run, t] : [];
      if (run.length >= settings.maxConsecutiveFailedTrials) {
        throw new StateError(
          `${run.length} trials in a row failed (${run.map((r) => r.trialId).join(', ')}), so the search stopped. ` +
            `The last error: ${run[run.length - 1]!.message}. Fix buildModel (or the fit options), or raise maxConsecutiveFailedTrials.`,
        );
      }
    }
  }
}

/** The runner of the search's trials: the user's `runTrial`, worker threads, or this thread. */
async function startRunner(
  request: SearchRequest,
  build: BuildModel | null,
  fitOptions: FitOptions,
  callbacks: readonly Callback[],
): Promise<TrialRunner> {
  const {settings, objective, x, y} = request;
  const runTrial = settings.runTrial;
  if (runTrial !== null) {
    return {
      run: async (job, onStart) => {
        onStart?.();
        return runCustomTrial(job, runTrial, objective, {x, y, fitOptions: request.fitOptions});
      },
      close: async () => {},
    };
  }
  if (settings.parallelism > 1) {
    return startPool(settings.parallelism, {
      hypermodel: settings.hypermodel!,
      data: toWire({x, y, fitOptions}, 'search data'),
      callbacks: callbackSpecs(callbacks),
      objective,
    });
  }
  const env = {buildModel: build!, x: x as never, y: y as never, fitOptions, callbacks: () => callbacks, objective};
  return {
    run: async (job, onStart) => {
      onStart?.();
      return runTrialJob(job, env);
    },
    close: async () => {},
  };
}
