/**
 * The options every tuner takes, and their checks.
 * @module
 */
import {availableParallelism} from '#node-builtins';
import {ConfigError, autoVerbosity, checkNumber, describeValue, optionKeys, type AnyModel} from '@trellis/core';
import type {ObjectiveOption} from '../objective';
import type {HyperParameters} from '../space/hyperparameters';
import type {Trial} from '../trial';
import type {BuildModel} from './run-trial';

/** What a custom {@link TunerOptions.runTrial} gets besides `hp`. */
export interface RunTrialContext {
  readonly trialId: string;
  /** The trial's seed (already passed to `setSeed`). */
  readonly seed: number;
  /** What `search` was given. */
  readonly x: unknown;
  readonly y: unknown;
  readonly fitOptions: unknown;
}

/**
 * A custom trial (Keras Tuner's overridden `run_trial`): trains however it
 * likes and returns the objective's value, or a record of metrics that
 * holds the objective.
 */
export type RunTrial = (
  hp: HyperParameters,
  context: RunTrialContext,
) => number | Readonly<Record<string, number>> | Promise<number | Readonly<Record<string, number>>>;

/** Options shared by every tuner (Keras Tuner's `Tuner` and `Oracle` arguments, camelCase). */
export type TunerOptions = {
  /**
   * Builds and compiles a model from the trial's hyperparameters (Keras
   * Tuner's `hypermodel`). Runs on the calling thread: with `parallelism`
   * above 1 give `hypermodel` instead.
   */
  readonly buildModel?: BuildModel;
  /**
   * The URL (or path) of an ES module that exports `buildModel(hp)` — the form
   * that worker threads can load, since a function cannot be sent to
   * another thread. It may also export `setup()` (awaited once in each
   * worker before its first trial: pick the worker's backend there, e.g.
   * `await useBackend(cpu())` or `await createTrellis({backend: 'cpu'})`) and
   * `registry` (where the workers resolve the specs of the fit callbacks;
   * default `defaultRegistry()`).
   */
  readonly hypermodel?: string | URL;
  /**
   * A custom trial instead of build + fit (Keras Tuner's `run_trial`
   * override): returns the objective's value. Runs on the calling thread.
   */
  readonly runTrial?: RunTrial;
  /** Declares hyperparameters before the search (Keras Tuner's `hyperparameters`): e.g. for `runTrial`, which is not run to discover the space. */
  readonly hyperparameters?: (hp: HyperParameters) => void;
  /** The log key that scores a trial, and its direction (default `'val_loss'`): `'val_accuracy'`, `{name: 'val_auc', direction: 'max'}`. */
  readonly objective?: ObjectiveOption;
  /** Models built and trained per trial; the score is the mean of their best epochs (default 1). */
  readonly executionsPerTrial?: number;
  /** Seeds the oracle and every trial's models (default: `getSeed()` of `@trellis/core`, else random; a resumed search keeps its own). */
  readonly seed?: number;
  /** Where the project folder goes (no directory: the search keeps everything in memory and cannot resume). */
  readonly directory?: string;
  /** The project folder's name under `directory` (default `'untitled_project'`). */
  readonly projectName?: string;
  /** Delete the project folder and start over (default false: resume it). */
  readonly overwrite?: boolean;
  /**
   * Trials run at once, each in its own worker thread with its own tfjs
   * backend: a number, or `'auto'` for the machine's cores (default 1: on
   * the calling thread). Above 1 it needs `hypermodel`.
   */
  readonly parallelism?: 'auto' | number;
  /** Logs every trial to TensorBoard's HParams dashboard under this folder (needs `@trellis/tensorboard`). */
  readonly logDir?: string;
  /** The search stops with an error after this many failed trials in a row (default 3, as Keras Tuner). */
  readonly maxConsecutiveFailedTrials?: number;
  /** 1: a line per finished trial; `'auto'` (default): 1 on an interactive terminal outside test runners. */
  readonly verbose?: 0 | 1 | 'auto';
  /** Where lines go (default `console.log`). */
  readonly print?: (line: string) => void;
  /** Called when a trial starts (not for trials a resumed search finds finished). */
  readonly onTrialStart?: (trial: Trial) => void;
  /** Called when a trial has finished and been saved. */
  readonly onTrialEnd?: (trial: Trial) => void;
};

/** The keys of {@link TunerOptions}, for `checkOptions`. */
export const TUNER_KEYS = optionKeys<TunerOptions>({
  buildModel: true,
  hypermodel: true,
  runTrial: true,
  hyperparameters: true,
  objective: true,
  executionsPerTrial: true,
  seed: true,
  directory: true,
  projectName: true,
  overwrite: true,
  parallelism: true,
  logDir: true,
  maxConsecutiveFailedTrials: true,
  verbose: true,
  print: true,
  onTrialStart: true,
  onTrialEnd: true,
});

/** The checked settings of {@link TunerOptions}. */
export interface TunerSettings {
  readonly buildModel: BuildModel | null;
  readonly hypermodel: string | null;
  readonly runTrial: RunTrial | null;
  readonly hyperparameters: ((hp: HyperParameters) => void) | null;
  readonly executionsPerTrial: number;
  readonly seed: number | null;
  readonly directory: string | null;
  readonly projectName: string;
  readonly overwrite: boolean;
  readonly parallelism: number;
  readonly logDir: string | null;
  readonly maxConsecutiveFailedTrials: number;
  readonly verbose: 0 | 1;
  readonly print: (line: string) => void;
  readonly onTrialStart: ((trial: Trial) => void) | null;
  readonly onTrialEnd: ((trial: Trial) => void) | null;
}

const isFunction = (v: unknown): v is (...args: never[]) => unknown => typeof v === 'function';

function optionalFunction<T>(who: string, key: string, value: unknown): T | null {
  if (value === undefined) return null;
  if (!isFunction(value)) throw new ConfigError(`${who}: ${key} must be a function; got ${describeValue(value)}.`);
  return value as T;
}

function optionalString(who: string, key: string, value: unknown): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || value.length === 0)
    throw new ConfigError(`${who}: ${key} must be a non-empty string; got ${describeValue(value)}.`);
  return value;
}

/** Checks the shared options. @throws ConfigError for a bad value or combination. */
export function checkTunerOptions(who: string, o: TunerOptions): TunerSettings {
  const buildModel = optionalFunction<BuildModel>(who, 'buildModel', o.buildModel);
  const runTrial = optionalFunction<RunTrial>(who, 'runTrial', o.runTrial);
  let hypermodel: string | null = null;
  if (o.hypermodel !== undefined) {
    if (o.hypermodel instanceof URL) hypermodel = o.hypermodel.href;
    else hypermodel = optionalString(who, 'hypermodel', o.hypermodel);
  }
  const given = [buildModel && 'buildModel', hypermodel && 'hypermodel', runTrial && 'runTrial'].filter(Boolean);
  if (given.length !== 1) {
    throw new ConfigError(
      `${who} needs exactly one of buildModel (a function), hypermodel (the URL of a module exporting buildModel, for worker threads) ` +
        `and runTrial (a custom trial); got ${given.length === 0 ? 'none' : given.join(' and ')}.`,
    );
  }
  const parallelism =
    o.parallelism === 'auto'
      ? availableParallelism()
      : checkNumber(who, 'parallelism', o.parallelism ?? 1, {min: 1, integer: true, example: 2});
  if (parallelism > 1 && hypermodel === null) {
    throw new ConfigError(
      `${who}: parallelism ${String(o.parallelism)} runs trials in worker threads, and a function (${given[0]}) cannot be sent to another thread. ` +
        "Put buildModel in its own module and pass hypermodel: new URL('./build-model.js', import.meta.url), or use parallelism: 1.",
    );
  }
  if (o.seed !== undefined) checkNumber(who, 'seed', o.seed, {min: 0, max: 2 ** 32, maxExclusive: true, integer: true});
  if (o.overwrite !== undefined && typeof o.overwrite !== 'boolean') {
    throw new ConfigError(`${who}: overwrite must be true or false; got ${describeValue(o.overwrite)}.`);
  }
  if (o.verbose !== undefined && o.verbose !== 0 && o.verbose !== 1 && o.verbose !== 'auto') {
    throw new ConfigError(`${who}: verbose must be 0, 1 or 'auto'; got ${describeValue(o.verbose)}.`);
  }
  return {
    buildModel,
    hypermodel,
    runTrial,
    hyperparameters: optionalFunction(who, 'hyperparameters', o.hyperparameters),
    executionsPerTrial: checkNumber(who, 'executionsPerTrial', o.executionsPerTrial ?? 1, {min: 1, integer: true}),
    seed: o.seed ?? null,
    directory: optionalString(who, 'directory', o.directory),
    projectName: optionalString(who, 'projectName', o.projectName) ?? 'untitled_project',
    overwrite: o.overwrite ?? false,
    parallelism,
    logDir: optionalString(who, 'logDir', o.logDir),
    maxConsecutiveFailedTrials: checkNumber(who, 'maxConsecutiveFailedTrials', o.maxConsecutiveFailedTrials ?? 3, {min: 1, integer: true}),
    verbose: o.verbose === undefined || o.verbose === 'auto' ? autoVerbosity() : o.verbose,
    print: optionalFunction(who, 'print', o.print) ?? ((line: string) => console.log(line)),
    onTrialStart: optionalFunction(who, 'onTrialStart', o.onTrialStart),
    onTrialEnd: optionalFunction(who, 'onTrialEnd', o.onTrialEnd),
  };
}

/** A type guard kept next to the options: whether a built value looks like a model. */
export function looksLikeModel(value: unknown): value is AnyModel {
  return typeof value === 'object' && value !== null && isFunction((value as AnyModel).fit) && isFunction((value as AnyModel).dispose);
}
