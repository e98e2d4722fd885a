/**
 * TensorBoard's HParams dashboard: one run per trial under `logDir`, written
 * through `@trellis/tensorboard` (an optional peer dependency, imported only
 * when a `logDir` is given) (internal).
 * @module
 */
import {join} from '#node-builtins';
import {ConfigError} from '@trellis/core';
import type {Trial} from '../trial';

type TensorboardModule = typeof import('@trellis/tensorboard');

let loading: Promise<TensorboardModule> | undefined;

/** Imports `@trellis/tensorboard` (once). @throws ConfigError when it is not installed. */
export async function tensorboardModule(): Promise<TensorboardModule> {
  loading ??= import('@trellis/tensorboard');
  try {
    return await loading;
  } catch (cause) {
    loading = undefined;
    throw new ConfigError(
      'The tuner option logDir writes TensorBoard HParams records with @trellis/tensorboard, which is not installed. ' +
        'Install it next to @trellis/tuner (npm install @trellis/tensorboard), or leave logDir out.',
      {cause},
    );
  }
}

/**
 * Writes `logDir/trial_<id>`: an HParams session with the trial's
 * hyperparameters and, for a completed trial, its metrics at the best epoch
 * (as scalars at step 0, the session's metrics); a failed trial's session
 * ends with status failure.
 */
export async function logTrial(logDir: string, trial: Trial): Promise<void> {
  const {SummaryWriter} = await tensorboardModule();
  const writer = new SummaryWriter({logDir: join(logDir, `trial_${trial.trialId}`)});
  if (trial.status === 'COMPLETED') {
    writer.logHyperparams(trial.hyperparameters, trial.metrics);
    await writer.close('success');
  } else {
    writer.hparams(trial.hyperparameters);
    await writer.close('failed');
  }
}
