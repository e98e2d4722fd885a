import {expect, it} from 'vitest';
import type {ContenderResult} from './compare-optimizers';
import {formatRanking, formatTable, rankByFinalLoss} from './report';

const results: ContenderResult[] = [
  {name: 'SGD 0.01', initialLoss: 2.3456, losses: [1.2, 0.51], valAccuracies: [0.8, 0.875], seconds: 3.21},
  {name: 'Adam 1e-3', initialLoss: 2.3456, losses: [0.4, 0.2], valAccuracies: [0.9, 0.9512], seconds: 4},
  {name: 'RMSprop 1e-3', initialLoss: 2.3456, losses: [0.45, 0.25], valAccuracies: [0.89, 0.94], seconds: 3.9},
];

it('lays out one column per optimizer and one row per epoch, right-aligned', () => {
  expect(formatTable(results)).toEqual([
    'epoch         SGD 0.01        Adam 1e-3     RMSprop 1e-3',
    '0               2.3456           2.3456           2.3456',
    '1       1.2000 (80.0%)   0.4000 (90.0%)   0.4500 (89.0%)',
    '2       0.5100 (87.5%)   0.2000 (95.1%)   0.2500 (94.0%)',
    'time             3.2 s            4.0 s            3.9 s',
  ]);
});

it('ranks by the last epoch loss, lowest first', () => {
  expect(rankByFinalLoss(results).map((r) => r.name)).toEqual(['Adam 1e-3', 'RMSprop 1e-3', 'SGD 0.01']);
  expect(formatRanking(results)).toBe('ranking by final training loss: Adam 1e-3 0.2000 < RMSprop 1e-3 0.2500 < SGD 0.01 0.5100');
});
