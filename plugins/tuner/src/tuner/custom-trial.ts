/**
 * A trial run by the user's `runTrial` instead of build + fit (internal).
 * @module
 */
import {setSeed} from '@trellis/core';
import type {Objective} from '../objective';
import {HyperParameters} from '../space/hyperparameters';
import type {RunTrial} from './options';
import {errorMessage, type TrialJob, type TrialOutcome} from './run-trial';

/** Runs `job` through `runTrial`; a throw or a non-finite objective makes a failed outcome. */
export async function runCustomTrial(
  job: TrialJob,
  runTrial: RunTrial,
  objective: Objective,
  data: {readonly x: unknown; readonly y: unknown; readonly fitOptions: unknown},
): Promise<TrialOutcome> {
  setSeed(job.seed);
  const hp = new HyperParameters(job.hyperparameters);
  const base = {bestStep: null, metrics: {}, history: [], weights: null, fatal: null, score: null, status: 'FAILED' as const};
  let result: number | Readonly<Record<string, number>>;
  try {
    result = await runTrial(hp, {trialId: job.trialId, seed: job.seed, ...data});
  } catch (error) {
    return {...base, message: errorMessage(error), hyperparameters: hp.toJSON()};
  }
  const metrics: Record<string, number> = typeof result === 'number' ? {[objective.name]: result} : {...result};
  const score = metrics[objective.name];
  if (typeof score !== 'number') {
    return {
      ...base,
      message: null,
      hyperparameters: hp.toJSON(),
      fatal: `runTrial returned ${JSON.stringify(result)}, without the objective '${objective.name}'; return its value, or a record that holds it.`,
    };
  }
  if (!Number.isFinite(score)) {
    return {...base, message: `The objective '${objective.name}' is not finite (${score}).`, hyperparameters: hp.toJSON()};
  }
  return {...base, status: 'COMPLETED', score, bestStep: 0, metrics, message: null, hyperparameters: hp.toJSON()};
}
