// What happens inside trials: failures, callbacks (early stopping), executions, the objective,
// leaks, and the HParams records.
import '@tensorflow/tfjs-backend-cpu';
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError, StateError, type Callback} from '@trellis/core';
import {decodeValue, readEvents, type DecodedValue} from '@trellis/tensorboard';
import {expectNoTensorLeaks} from '@trellis/testing';
import {earlyStopping} from '@trellis/callbacks';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {mlp, regression} from '../../test/fixtures';
import {randomSearch, type HyperParameters} from '../index';

let x: tf.Tensor2D;
let y: tf.Tensor2D;
const dir = mkdtempSync(join(tmpdir(), 'trellis-tuner-'));
beforeAll(async () => {
  await tf.setBackend('cpu');
  ({x, y} = regression());
});
afterAll(() => {
  tf.dispose([x, y]);
  rmSync(dir, {recursive: true, force: true});
});

describe('trials', () => {
  it('a buildModel that throws marks the trial failed with its error, and the search goes on', async () => {
    const build = (hp: HyperParameters) => {
      const model = mlp(hp);
      if (hp.get('units') === 4) {
        model.dispose();
        throw new RangeError('no model with 4 units');
      }
      return model;
    };
    const tuner = randomSearch({buildModel: build, maxTrials: 8, seed: 5});
    const trials = await tuner.search(x, y, {epochs: 1, validationSplit: 0.25});
    const failed = trials.filter((t) => t.status === 'FAILED');
    expect(failed.length).toBeGreaterThan(0);
    for (const t of failed) {
      expect(t.hyperparameters.units).toBe(4);
      expect(t.message).toBe('RangeError: no model with 4 units');
      expect(t.score).toBeNull();
    }
    expect(trials.filter((t) => t.status === 'COMPLETED').length).toBe(8 - failed.length);
    expect(
      tuner
        .getBestTrials(8)
        .slice(-failed.length)
        .every((t) => t.status === 'FAILED'),
    ).toBe(true);
    expect(tuner.resultsSummary(8)).toContain('FAILED (RangeError: no model with 4 units)');
  });

  it('stops after maxConsecutiveFailedTrials failures in a row, naming them', async () => {
    const tuner = randomSearch({
      buildModel: () => {
        throw new Error('broken');
      },
      hyperparameters: (hp) => hp.int('n', {min: 1, max: 100}),
      maxTrials: 10,
    });
    await expect(tuner.search(x, y, {epochs: 1})).rejects.toThrow(
      /3 trials in a row failed \(0000, 0001, 0002\).*The last error: Error: broken/,
    );
    expect(tuner.trials).toHaveLength(3);
  });

  it('gives every trial the fit callbacks: early stopping ends a trial early', async () => {
    const seen: number[] = [];
    const counter: Callback = {name: 'count', onFitEnd: (context) => void seen.push(context.epoch)};
    const tuner = randomSearch({buildModel: mlp, maxTrials: 3, seed: 2});
    const trials = await tuner.search(x, y, {
      epochs: 40,
      validationSplit: 0.25,
      callbacks: [earlyStopping({monitor: 'val_loss', patience: 0, minDelta: 10}), counter],
    });
    // minDelta 10: no epoch improves enough, so every trial stops after its second epoch.
    expect(trials.map((t) => t.history[0]!.val_loss!.length)).toEqual([2, 2, 2]);
    expect(seen).toHaveLength(3);
  });

  it('averages executionsPerTrial executions, each built with its own seed', async () => {
    const tuner = randomSearch({buildModel: mlp, maxTrials: 2, executionsPerTrial: 2, seed: 4});
    const trials = await tuner.search(x, y, {epochs: 2, validationSplit: 0.25});
    for (const t of trials) {
      expect(t.history).toHaveLength(2);
      const bests = t.history.map((h) => Math.min(...h.val_loss!));
      expect(bests[0]).not.toBe(bests[1]);
      expect(t.score).toBeCloseTo((bests[0]! + bests[1]!) / 2, 12);
    }
  });

  it('refuses an objective that fit does not log, saying how to get it', async () => {
    const tuner = randomSearch({buildModel: mlp, objective: 'val_accuracy', maxTrials: 2});
    await expect(tuner.search(x, y, {epochs: 1})).rejects.toThrow(
      /objective 'val_accuracy' is not among the logs of fit \(loss\)\. Pass validationData or validationSplit/,
    );
  });

  it('refuses bad options', () => {
    expect(() => randomSearch({buildModel: mlp, maxTrials: 0})).toThrow(ConfigError);
    expect(() => randomSearch({maxTrials: 2})).toThrow(/needs exactly one of buildModel.*got none/);
    expect(() => randomSearch({buildModel: mlp, parallelism: 2})).toThrow(/a function \(buildModel\) cannot be sent to another thread/);
    expect(() => randomSearch({buildModel: mlp, objective: 'speed'})).toThrow(/cannot tell whether it is better higher or lower/);
  });

  it('disposes every model and tensor it makes: the tensor count is flat across searches', async () => {
    const tuner = randomSearch({buildModel: mlp, maxTrials: 2, seed: 9});
    await expectNoTensorLeaks(async () => {
      await tuner.search(x, y, {epochs: 2, validationSplit: 0.25});
      const models = await tuner.getBestModels(2);
      for (const m of models) m.dispose();
    });
  });
});

describe('TensorBoard HParams', () => {
  it('writes one run per trial with its hyperparameters and best-epoch metrics', async () => {
    const logDir = join(dir, 'hparams');
    const tuner = randomSearch({buildModel: mlp, maxTrials: 2, seed: 1, logDir});
    const trials = await tuner.search(x, y, {epochs: 2, validationSplit: 0.25});
    expect(readdirSync(logDir).sort()).toEqual(['trial_0000', 'trial_0001']);
    const run = join(logDir, 'trial_0001');
    const values: DecodedValue[] = [];
    for await (const e of readEvents(join(run, readdirSync(run)[0]!))) {
      if (e.what.case === 'summary') values.push(...e.what.value.value.map(decodeValue));
    }
    const hparams = values.filter((v) => v.kind === 'hparams');
    expect(hparams.map((v) => v.tag)).toEqual(['_hparams_/experiment', '_hparams_/session_start_info', '_hparams_/session_end_info']);
    const start = hparams[1]!.kind === 'hparams' ? hparams[1]!.data.data : null;
    expect(start?.case).toBe('sessionStartInfo');
    if (start?.case === 'sessionStartInfo') expect(Object.keys(start.value.hparams).sort()).toEqual(['lr', 'units']);
    const scalar = values.find((v) => v.kind === 'scalar' && v.tag === 'val_loss');
    expect(scalar?.kind === 'scalar' ? scalar.value : null).toBeCloseTo(trials[1]!.metrics.val_loss!, 5);
  });
});

describe('resuming in one process', () => {
  it('a second search of the same project runs no finished trial again', async () => {
    const starts: string[] = [];
    const options = {
      buildModel: mlp,
      maxTrials: 3,
      seed: 8,
      directory: dir,
      projectName: 'resume',
      onTrialStart: (t: {trialId: string}) => void starts.push(t.trialId),
    };
    const first = await randomSearch({...options, maxTrials: 2}).search(x, y, {epochs: 1, validationSplit: 0.25});
    expect(starts).toEqual(['0000', '0001']);
    await expect(randomSearch(options).search(x, y, {epochs: 1, validationSplit: 0.25})).rejects.toThrow(StateError);
    const tuner = randomSearch({...options, maxTrials: 2});
    const again = await tuner.search(x, y, {epochs: 1, validationSplit: 0.25});
    expect(starts).toEqual(['0000', '0001']);
    expect(again).toEqual(first);
    const [model] = await tuner.getBestModels();
    expect(model!.countParams()).toBeGreaterThan(0);
    model!.dispose();
  });
});
