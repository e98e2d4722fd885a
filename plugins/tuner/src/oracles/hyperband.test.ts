// Hyperband's bracket schedule (numbers derived by hand from Keras Tuner's formulas), the trials the
// oracle makes, and trials that continue from their parent's weights.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {ConfigError} from '@trellis/core';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {bowl, bowlModel} from '../../test/fixtures';
import {hyperband, hyperbandSchedule} from '../index';

const rows = (maxEpochs: number, factor: number) =>
  hyperbandSchedule({maxEpochs, factor}).map((r) => [r.bracket, r.round, r.trials, r.initialEpoch, r.epochs]);

describe('hyperbandSchedule', () => {
  it('maxEpochs 9, factor 3: 3 brackets, 23 trials', () => {
    // brackets: 9 → 3 → 1 → 1/3 (3 of them); the last bracket's end size is ceil(1 + log_3 9) = 3.
    expect(rows(9, 3)).toEqual([
      [2, 0, 9, 0, 1], // ceil(3/3 · 3²) = 9 trials, ceil(9 / 3²) = 1 epoch
      [2, 1, 3, 1, 3],
      [2, 2, 1, 3, 9],
      [1, 0, 5, 0, 3], // ceil(3/2 · 3) = 5
      [1, 1, 2, 3, 9], // ceil(3/2) = 2
      [0, 0, 3, 0, 9],
    ]);
  });

  it('maxEpochs 81, factor 3: log_3 81 is exactly 4, so the end size is 5 (not 6)', () => {
    const schedule = rows(81, 3);
    expect(schedule[0]).toEqual([4, 0, 81, 0, 1]);
    expect(schedule.filter((r) => r[0] === 0)).toEqual([[0, 0, 5, 0, 81]]);
    expect(schedule.filter((r) => r[0] === 2)).toEqual([
      [2, 0, 15, 0, 9], // ceil(5/3 · 9)
      [2, 1, 5, 9, 27],
      [2, 2, 2, 27, 81], // ceil(5/3)
    ]);
  });

  it('maxEpochs 10, factor 2, 2 iterations: the brackets twice', () => {
    const schedule = hyperbandSchedule({maxEpochs: 10, factor: 2, hyperbandIterations: 2});
    // 10, 5, 2.5, 1.25 → 4 brackets; end size ceil(1 + log_2 10) = 5.
    expect(schedule.slice(0, 4).map((r) => [r.trials, r.epochs])).toEqual([
      [10, 2], // end size 5 / 4 brackets · 2³ = 10 trials, ceil(10 / 2³) = 2 epochs
      [5, 3],
      [3, 5], // ceil(5/4 · 2) = 3
      [2, 10], // ceil(5/4) = 2
    ]);
    expect(schedule).toHaveLength(2 * (4 + 3 + 2 + 1));
  });

  it('refuses a factor below 2', () => {
    expect(() => hyperbandSchedule({maxEpochs: 9, factor: 1})).toThrow(ConfigError);
    expect(() => hyperband({runTrial: () => 0, maxEpochs: 0})).toThrow(/maxEpochs must be an integer >= 1/);
  });
});

describe('the hyperband oracle', () => {
  it('makes the scheduled trials, each later round continuing the best of the one before', async () => {
    const tuner = hyperband({
      hyperparameters: (hp) => hp.float('x', {min: 0, max: 1}),
      runTrial: (hp) => Math.abs((hp.get('x') as number) - 0.3) - 0.01 * (hp.get('tuner/epochs') as number),
      objective: {name: 'score', direction: 'min'},
      maxEpochs: 9,
      factor: 3,
      seed: 7,
    });
    const trials = await tuner.search();
    const expected = hyperbandSchedule({maxEpochs: 9, factor: 3}).flatMap((r) =>
      Array.from({length: r.trials}, () => [r.bracket, r.round, r.initialEpoch, r.epochs]),
    );
    expect(
      trials.map((t) => ['tuner/bracket', 'tuner/round', 'tuner/initial_epoch', 'tuner/epochs'].map((k) => t.hyperparameters[k])),
    ).toEqual(expected);
    // Round 1 of the first bracket continues the 3 best of its 9 first trials, best first.
    const first = trials.slice(0, 9);
    const ranked = [...first].sort((a, b) => a.score! - b.score!).slice(0, 3);
    expect(trials.slice(9, 12).map((t) => t.hyperparameters['tuner/trial_id'])).toEqual(ranked.map((t) => t.trialId));
    expect(trials[9]!.hyperparameters.x).toBe(ranked[0]!.hyperparameters.x);
  });
});

describe('hyperband trials continue from their parent', () => {
  let data: ReturnType<typeof bowl>;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    data = bowl();
  });
  afterAll(() => tf.dispose([data.x, data.y]));

  it("start from the parent's best weights at its last epoch", async () => {
    const tuner = hyperband({
      buildModel: (hp) => bowlModel(hp, {min: 1e-3, max: 0.05}),
      objective: 'val_loss',
      maxEpochs: 4,
      factor: 2,
      seed: 2,
    });
    const trials = await tuner.search(data.x, data.y, {batchSize: 16, shuffle: false, validationData: [data.x, data.y]});
    const continued = trials.filter((t) => typeof t.hyperparameters['tuner/trial_id'] === 'string');
    expect(continued.length).toBeGreaterThan(0);
    for (const child of continued) {
      const parent = trials.find((t) => t.trialId === child.hyperparameters['tuner/trial_id'])!;
      // Full batch, no shuffling: the first loss of the child is the loss at the parent's best weights,
      // which is the parent's score (val_loss on the same data).
      expect(child.history[0]!.loss![0]).toBeCloseTo(parent.score!, 4);
      expect(child.history[0]!.loss!).toHaveLength(
        (child.hyperparameters['tuner/epochs'] as number) - (child.hyperparameters['tuner/initial_epoch'] as number),
      );
    }
  });
});
