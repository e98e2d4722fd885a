// The tuner end to end on a small regression: trials, summary, best hyperparameters and models.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {mlp, regression} from '../../test/fixtures';
import {randomSearch} from '../index';

let x: tf.Tensor2D;
let y: tf.Tensor2D;
beforeAll(async () => {
  await tf.setBackend('cpu');
  ({x, y} = regression());
});
afterAll(() => tf.dispose([x, y]));

describe('randomSearch', () => {
  it('runs maxTrials trials, scores each at its best epoch and ranks them', async () => {
    const lines: string[] = [];
    const tuner = randomSearch({buildModel: mlp, objective: 'val_loss', maxTrials: 4, seed: 3, print: (l) => lines.push(l)});
    const trials = await tuner.search(x, y, {epochs: 3, batchSize: 8, validationSplit: 0.25});
    expect(trials.map((t) => t.trialId)).toEqual(['0000', '0001', '0002', '0003']);
    for (const t of trials) {
      expect(t.status).toBe('COMPLETED');
      const values = t.history[0]!.val_loss!;
      expect(t.score).toBe(Math.min(...values));
      expect(t.bestStep).toBe(values.indexOf(t.score!));
      expect(t.metrics.val_loss).toBe(t.score);
    }
    const [best] = tuner.getBestHyperparameters();
    const bestTrial = trials.reduce((a, b) => (b.score! < a.score! ? b : a));
    expect(best!.values).toEqual(bestTrial.hyperparameters);
    const text = tuner.resultsSummary(2);
    console.log(text);
    expect(text).toContain('Objective(name="val_loss", direction="min")');
    expect(text.split('\n')[5]).toMatch(/^Trial\s+units\s+lr\s+Score\s+Status$/);
    expect(text.split('\n')[7]).toContain(bestTrial.trialId);
    const [model] = await tuner.getBestModels();
    const [xv, yv] = [tf.slice(x, [24, 0], [8, 2]), tf.slice(y, [24, 0], [8, 1])];
    const evaluated = await model!.evaluate(xv, yv);
    tf.dispose([xv, yv]);
    expect(evaluated.loss).toBeCloseTo(bestTrial.score!, 5);
    model!.dispose();
  });
});
