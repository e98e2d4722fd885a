// Trials in worker threads (each with its own cpu backend) give exactly the trials of a sequential
// search with the same seed. Runs the built worker script (turbo builds this package before its tests).
import {execFile} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ensureGradients} from '@trellis/core';
import {earlyStopping} from '@trellis/callbacks';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {regression} from '../../test/fixtures';
import {bayesianOptimization, hyperband, randomSearch, type Trial} from '../index';

const hypermodel = new URL('../../test/hypermodel.mjs', import.meta.url);
let x: tf.Tensor2D;
let y: tf.Tensor2D;
beforeAll(async () => {
  await tf.setBackend('cpu');
  ensureGradients();
  ({x, y} = regression());
});
afterAll(() => tf.dispose([x, y]));

const summary = (trials: readonly Trial[]) => trials.map((t) => [t.trialId, t.hyperparameters, t.score, t.history]);
const fit = {epochs: 3, batchSize: 8, validationSplit: 0.25};

describe('parallel trials', () => {
  it('random search: 2 workers give the trials of a sequential search, bit for bit', async () => {
    const sequential = await randomSearch({hypermodel, maxTrials: 6, seed: 3}).search(x, y, fit);
    const parallel = await randomSearch({hypermodel, maxTrials: 6, seed: 3, parallelism: 2}).search(x, y, fit);
    expect(summary(parallel)).toEqual(summary(sequential));
  });

  it('hyperband with early stopping in every trial: the same trials in workers', async () => {
    const options = {hypermodel, maxEpochs: 4, factor: 2, seed: 5};
    const callbacks = [earlyStopping({monitor: 'val_loss', patience: 1})];
    const sequential = await hyperband(options).search(x, y, {...fit, callbacks});
    const parallel = await hyperband({...options, parallelism: 2}).search(x, y, {...fit, callbacks});
    expect(summary(parallel)).toEqual(summary(sequential));
  });

  it('Bayesian optimization: guided trials wait for the earlier ones, so the results match', async () => {
    const options = {hypermodel, maxTrials: 6, numInitialPoints: 3, seed: 2};
    const sequential = await bayesianOptimization(options).search(x, y, fit);
    const parallel = await bayesianOptimization({...options, parallelism: 2}).search(x, y, fit);
    expect(summary(parallel)).toEqual(summary(sequential));
  });

  it('refuses callbacks without a spec, which cannot reach a worker', async () => {
    const tuner = randomSearch({hypermodel, maxTrials: 2, parallelism: 2});
    await expect(tuner.search(x, y, {...fit, callbacks: [{name: 'mine', onEpochEnd: () => {}}]})).rejects.toThrow(
      /fitOptions.callbacks\[0\] \('mine'\) has no spec/,
    );
  });

  it('a throw of onTrialStart rejects the search with it, as in a sequential search', async () => {
    const onTrialStart = () => {
      throw new Error('not now');
    };
    for (const parallelism of [1, 2]) {
      await expect(randomSearch({hypermodel, maxTrials: 2, parallelism, onTrialStart}).search(x, y, fit)).rejects.toThrow('not now');
    }
  });

  it.each([
    ['the space declaration throws', 'space', 'Error: the declared space is broken'],
    [
      "the hypermodel's setup() throws in the workers",
      'setup',
      'ConfigError: A tuner worker could not start: Error: no backend for this worker',
    ],
  ])(
    'a parallel search in which %s while the workers start throws that error and leaves no worker running',
    async (_, how, printed) => {
      // The child process exits on its own only once no worker thread is left.
      const child = fileURLToPath(new URL('../../test/failing-search-child.mjs', import.meta.url));
      const {code, stdout} = await new Promise<{code: number | null; stdout: string}>((resolve) => {
        execFile(process.execPath, [child, how], {timeout: 60_000}, (error, stdout) =>
          resolve({code: error ? (error.code as number | null) : 0, stdout}),
        );
      });
      expect(stdout.trim()).toBe(printed);
      expect(code).toBe(0);
    },
    90_000,
  );
});
