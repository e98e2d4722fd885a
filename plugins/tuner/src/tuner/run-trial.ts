/**
 * One trial, start to end, on the thread it runs in: build the model for
 * each execution (seeded), continue from a parent's weights (Hyperband),
 * fit with the user's callbacks, keep the best epoch's logs and weights,
 * dispose every model; a throw becomes a failed trial (internal).
 * @module
 */
import {ConfigError, setSeed, type AnyModel, type Callback, type FitOptions, type ModelData, type TensorInput} from '@trellis/core';
import {isBetter, type Objective} from '../objective';
import {HyperParameters, type HyperParametersJson} from '../space/hyperparameters';
import {readWeights, writeWeights, type SavedWeights} from './weights';

/** Builds a compiled model from a trial's hyperparameters. */
export type BuildModel = (hp: HyperParameters) => AnyModel | Promise<AnyModel>;

/** What to run. */
export interface TrialJob {
  readonly trialId: string;
  readonly seed: number;
  readonly hyperparameters: HyperParametersJson;
  readonly executions: number;
  /** Hyperband's epochs and initial epoch (null: the fit options'). */
  readonly epochs: number | null;
  readonly initialEpoch: number | null;
  /** The weights to continue from (Hyperband's later rounds). */
  readonly parentWeights: SavedWeights | null;
}

/** What a job runs with. */
export interface TrialEnvironment {
  readonly buildModel: BuildModel;
  readonly x: TensorInput | ModelData;
  readonly y: TensorInput | ModelData;
  /** The fit options without callbacks. */
  readonly fitOptions: FitOptions;
  /** The user's callbacks for an execution (the same objects each time, or fresh ones). */
  readonly callbacks: () => readonly Callback[];
  readonly objective: Objective;
}

/** How a job ended. */
export interface TrialOutcome {
  readonly status: 'COMPLETED' | 'FAILED';
  readonly score: number | null;
  readonly bestStep: number | null;
  readonly metrics: Readonly<Record<string, number>>;
  readonly history: readonly Record<string, number[]>[];
  readonly message: string | null;
  /** The space and values after building (a build may declare hyperparameters no earlier build met). */
  readonly hyperparameters: HyperParametersJson;
  /** The best epoch's weights over all executions. */
  readonly weights: SavedWeights | null;
  /** Set when the search itself is misconfigured (the objective is not logged): the search stops with a ConfigError. */
  readonly fatal: string | null;
}

/** The seed of execution `execution` of a trial seeded `seed`. */
export function executionSeed(seed: number, execution: number): number {
  return (seed + execution) >>> 0;
}

/** Runs `job`; never throws for errors of the trial itself (they make a failed outcome). */
export async function runTrialJob(job: TrialJob, env: TrialEnvironment): Promise<TrialOutcome> {
  const {objective} = env;
  let hp = new HyperParameters(job.hyperparameters);
  const history: Record<string, number[]>[] = [];
  const bests: {value: number; epoch: number; logs: Record<string, number>}[] = [];
  let bestWeights: SavedWeights | null = null;
  let overall: number | null = null;
  const seen = new Set<string>();
  const outcome = (rest: Partial<TrialOutcome>): TrialOutcome => ({
    status: 'FAILED',
    score: null,
    bestStep: null,
    metrics: {},
    history,
    message: null,
    hyperparameters: hp.toJSON(),
    weights: bestWeights,
    fatal: null,
    ...rest,
  });
  try {
    for (let execution = 0; execution < job.executions; execution++) {
      setSeed(executionSeed(job.seed, execution));
      hp = new HyperParameters(job.hyperparameters);
      const model = await env.buildModel(hp);
      if (!isModel(model)) {
        return outcome({
          message: `ConfigError: buildModel must return a compiled Trellis model; it returned ${model === undefined ? 'undefined' : typeof model}.`,
        });
      }
      try {
        if (job.parentWeights) {
          if (!model.built) model.build(inputShapeOf(env.x));
          writeWeights(model, job.parentWeights);
        }
        const tracker: Callback = {
          name: 'tunerBestEpoch',
          onEpochEnd: async (context) => {
            const logs = await context.readLogs();
            for (const key of Object.keys(logs)) seen.add(key);
            const value = logs[objective.name];
            if (value !== undefined && isBetter(objective, value, overall)) {
              overall = value;
              bestWeights = await readWeights(model);
            }
          },
        };
        const fitted = await model.fit(env.x, env.y, {
          ...env.fitOptions,
          ...(job.epochs === null ? {} : {epochs: job.epochs}),
          ...(job.initialEpoch === null ? {} : {initialEpoch: job.initialEpoch}),
          callbacks: [...env.callbacks(), tracker],
        });
        const logs = Object.fromEntries(Object.entries(fitted.history).map(([k, v]) => [k, [...v]]));
        history.push(logs);
        const values = logs[objective.name];
        if (values === undefined) {
          return outcome({
            fatal:
              `objective '${objective.name}' is not among the logs of fit (${[...seen].join(', ') || 'none'}). ` +
              (objective.name.startsWith('val_')
                ? 'Pass validationData or validationSplit in the fit options, or '
                : 'Compile the metric, or ') +
              `choose a logged objective such as '${[...seen][0] ?? 'loss'}'.`,
          });
        }
        let best: {value: number; epoch: number} | null = null;
        values.forEach((value, i) => {
          if (isBetter(objective, value, best?.value)) best = {value, epoch: fitted.epoch[i]!};
        });
        if (best === null) {
          return outcome({message: `The objective '${objective.name}' was never finite (${values.join(', ')}): training diverged.`});
        }
        const {value, epoch} = best as {value: number; epoch: number};
        const at = fitted.epoch.indexOf(epoch);
        bests.push({value, epoch, logs: Object.fromEntries(Object.entries(logs).map(([k, v]) => [k, v[at]!]))});
      } finally {
        model.dispose();
      }
    }
  } catch (error) {
    return outcome({message: errorMessage(error)});
  }
  const score = bests.reduce((s, b) => s + b.value, 0) / bests.length;
  const metrics: Record<string, number> = {};
  for (const key of Object.keys(bests[0]!.logs)) {
    const present = bests.filter((b) => key in b.logs);
    metrics[key] = present.reduce((s, b) => s + b.logs[key]!, 0) / present.length;
  }
  let bestOfAll = bests[0]!;
  for (const b of bests) if (isBetter(objective, b.value, bestOfAll.value)) bestOfAll = b;
  return outcome({status: 'COMPLETED', score, bestStep: bestOfAll.epoch, metrics});
}

/** `Name: message` of a thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `Error: ${String(error)}`;
}

function isModel(value: unknown): value is AnyModel {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AnyModel).fit === 'function' &&
    typeof (value as AnyModel).dispose === 'function'
  );
}

/** The input shape (without batch) of single-input data, for building a model before loading weights. */
function inputShapeOf(x: TensorInput | ModelData): number[] {
  const shape = (x as {shape?: unknown}).shape;
  if (Array.isArray(shape)) return shape.slice(1) as number[];
  throw new ConfigError(
    'Hyperband continues a trial by loading weights into a built model: build it in buildModel (give the first layer an inputShape).',
  );
}
