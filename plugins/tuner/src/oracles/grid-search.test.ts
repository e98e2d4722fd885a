// Grid search enumerates exactly the product space, once each, conditional branches included.
import {describe, expect, it} from 'vitest';
import {gridSearch} from '../index';
import {HyperParameters} from '../space/hyperparameters';
import {gridPoints} from './grid-search';

describe('gridSearch', () => {
  it('runs every combination of the product space exactly once, the last hyperparameter fastest', async () => {
    const seen: string[] = [];
    const tuner = gridSearch({
      hyperparameters: (hp) => {
        hp.choice('optimizer', ['adam', 'sgd']);
        hp.int('units', {min: 16, max: 64, step: 16});
        hp.boolean('bn');
      },
      runTrial: (hp) => {
        seen.push(`${hp.get('optimizer')}/${hp.get('units')}/${hp.get('bn')}`);
        return (hp.get('units') as number) / 100;
      },
      objective: {name: 'score', direction: 'max'},
    });
    const trials = await tuner.search();
    const product = ['adam', 'sgd'].flatMap((o) => [16, 32, 48, 64].flatMap((u) => [false, true].map((b) => `${o}/${u}/${b}`)));
    expect(seen).toEqual(product);
    expect(trials).toHaveLength(16);
    expect(new Set(seen).size).toBe(16);
  });

  it('multiplies a conditional branch only by its own values', () => {
    const hp = new HyperParameters();
    hp.choice('model', ['mlp', 'cnn']);
    hp.conditionalScope('model', 'mlp', () => hp.int('units', {min: 1, max: 3}));
    const space = [...hp.space];
    const cnn = new HyperParameters({space, values: {model: 'cnn'}});
    cnn.conditionalScope('model', 'cnn', () => cnn.choice('kernel', [3, 5]));
    const points = [...gridPoints(cnn.space)];
    expect(points).toEqual([
      {model: 'mlp', units: 1},
      {model: 'mlp', units: 2},
      {model: 'mlp', units: 3},
      {model: 'cnn', kernel: 3},
      {model: 'cnn', kernel: 5},
    ]);
  });

  it('stops at maxTrials', async () => {
    const tuner = gridSearch({
      hyperparameters: (hp) => hp.int('n', {min: 1, max: 10}),
      runTrial: (hp) => hp.get('n') as number,
      objective: {name: 'n', direction: 'max'},
      maxTrials: 4,
    });
    expect((await tuner.search()).map((t) => t.hyperparameters.n)).toEqual([1, 2, 3, 4]);
  });
});
