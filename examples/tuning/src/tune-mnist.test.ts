import {expect, it} from 'vitest';
import {tuneMnist} from './tune-mnist';

it('a small Hyperband search on 1,500 MNIST images: every scheduled trial, a best model that learned', async () => {
  const search = await tuneMnist({backend: 'wasm', samples: 1500, maxEpochs: 3, factor: 3});
  // maxEpochs 3, factor 3: 2 brackets: 3 trials × 1 epoch, 1 continued to 3; then 2 trials × 3 epochs.
  expect(search.trials.map((t) => [t.hyperparameters['tuner/initial_epoch'], t.hyperparameters['tuner/epochs']])).toEqual([
    [0, 1],
    [0, 1],
    [0, 1],
    [1, 3],
    [0, 3],
    [0, 3],
  ]);
  const text = search.resultsSummary(3);
  // Columns in the order the space was discovered: the defaults' build (one layer) first, then the conditional units.
  expect(text).toMatch(/Trial\s+layers\s+units_0\s+dropout\s+learning_rate\s+units_1\s+units_2\s/);
  expect(search.getBestTrials()[0]!.score!).toBeGreaterThan(0.8);
  const [best] = search.getBestHyperparameters();
  const layers = best!.get('layers') as number;
  for (let i = 0; i < 3; i++) expect(best!.has(`units_${i}`)).toBe(i < layers);
});
